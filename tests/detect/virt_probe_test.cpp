// Virtualization: whether, and under which hypervisor; chassis.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

void x86_cpu(ProbeHarness& h, bool hypervisor) {
  h.facts.arch = "x86_64";
  h.facts.cpu.vendor = "GenuineIntel";
  h.facts.cpu.flags_known = true;
  h.facts.cpu.flags = {"avx2"};
  if (hypervisor) h.facts.cpu.flags.push_back("hypervisor");
}

void dmi(const TempTree& tree, const std::string& vendor, const std::string& product) {
  tree.write("/sys/class/dmi/id/sys_vendor", vendor + "\n");
  tree.write("/sys/class/dmi/id/product_name", product + "\n");
}

TEST(VirtProbe, NoHypervisorFlagIsBareMetal) {
  ProbeHarness h;
  x86_cpu(h, false);
  dmi(h.tree, "Dell Inc.", "PowerEdge R760");
  h.tree.write("/sys/class/dmi/id/chassis_type", "23\n");
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "none");
  EXPECT_EQ(h.facts.platform.dmi_vendor, "Dell Inc.");
  EXPECT_EQ(h.facts.platform.chassis, "server");
}

TEST(VirtProbe, SmbiosNamesTheHypervisor) {
  ProbeHarness h;
  x86_cpu(h, true);
  dmi(h.tree, "QEMU", "Standard PC (Q35 + ICH9, 2009)");
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "kvm");
  EXPECT_EQ(h.facts.platform.chassis, "vm");
  EXPECT_NE(h.facts.evidence.at("virtualization").find("SMBIOS says 'QEMU"), std::string::npos);
}

TEST(VirtProbe, ABareMetalCloudInstanceIsBareMetal) {
  ProbeHarness h;
  x86_cpu(h, false);
  dmi(h.tree, "Amazon EC2", "m7i.metal-24xl");
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "none");
  EXPECT_NE(h.facts.evidence.at("virtualization").find("though SMBIOS says 'Amazon EC2"), std::string::npos);
}

TEST(VirtProbe, AGuestWithoutSmbiosIsNamedByItsAcpiOemId) {
  ProbeHarness h;
  x86_cpu(h, true);
  // Header: signature, length, revision, checksum, then the 6-byte OEM id at offset 10.
  std::string facp = std::string("FACP\x14\x01\x00\x00\x06\x00", 10) + "FIRECK" + "FCMVFACP";
  facp.resize(276, '\0');
  h.tree.write("/sys/firmware/acpi/tables/FACP", facp);
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "firecracker");
  EXPECT_NE(h.facts.evidence.at("virtualization").find("ACPI FACP OEM id 'FIRECK'"), std::string::npos);
}

TEST(VirtProbe, AnUnnamedHypervisorIsStillAVm) {
  ProbeHarness h;
  x86_cpu(h, true);
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "vm-other");
}

TEST(VirtProbe, XenDom0IsTheHost) {
  ProbeHarness h;
  x86_cpu(h, true);
  h.tree.write("/sys/hypervisor/type", "xen\n");
  h.tree.write("/proc/xen/capabilities", "control_d\n");
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "none");
  ProbeHarness guest;
  x86_cpu(guest, true);
  guest.tree.write("/sys/hypervisor/type", "xen\n");
  detect::probe_virtualization(guest.probe);
  EXPECT_EQ(guest.facts.virtualization, "xen");
}

TEST(VirtProbe, AnArmBoardWithADeviceTreeIsBareMetal) {
  ProbeHarness h;
  h.facts.arch = "aarch64";
  h.tree.write("/proc/device-tree/compatible", std::string("raspberrypi,4-model-b\0brcm,bcm2711\0", 35));
  h.tree.write("/proc/device-tree/model", std::string("Raspberry Pi 4 Model B Rev 1.4\0", 31));
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "none");
  EXPECT_EQ(h.facts.evidence.at("virtualization"),
            "device-tree machine 'Raspberry Pi 4 Model B Rev 1.4' without a hypervisor node");
}

TEST(VirtProbe, QemusArmVirtMachineIsKvm) {
  ProbeHarness h;
  h.facts.arch = "aarch64";
  h.tree.write("/proc/device-tree/compatible", std::string("linux,dummy-virt\0", 17));
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "kvm");
}

TEST(VirtProbe, AnArmServerWithRealSmbiosIsBareMetal) {
  ProbeHarness h;
  h.facts.arch = "aarch64";
  dmi(h.tree, "Ampere(TM)", "Mt.Jade");
  detect::probe_virtualization(h.probe);
  EXPECT_EQ(h.facts.virtualization, "none");
}

TEST(VirtProbe, NothingToGoOnIsUnknown) {
  ProbeHarness h;
  detect::probe_virtualization(h.probe);
  EXPECT_TRUE(h.facts.virtualization.empty());
  EXPECT_EQ(flatten_facts(h.facts).count("virtualization"), 0u);
}

TEST(VirtProbe, ChassisTypesMapToPeoplesWords) {
  EXPECT_EQ(detect::chassis_name(10), "laptop");
  EXPECT_EQ(detect::chassis_name(31), "laptop");
  EXPECT_EQ(detect::chassis_name(3), "desktop");
  EXPECT_EQ(detect::chassis_name(23), "server");
  EXPECT_EQ(detect::chassis_name(30), "tablet");
  EXPECT_EQ(detect::chassis_name(2), "") << "SMBIOS 'Unknown' is unknown";
  EXPECT_EQ(detect::chassis_name(1), "other");
}

TEST(VirtProbe, AMalformedChassisTypeWarns) {
  ProbeHarness h;
  x86_cpu(h, false);
  h.tree.write("/sys/class/dmi/id/chassis_type", "Notebook\n");
  detect::probe_virtualization(h.probe);
  EXPECT_TRUE(h.facts.platform.chassis.empty());
  EXPECT_TRUE(h.warned("chassis_type: expected a whole number"));
}

}  // namespace
}  // namespace tune::testing
