// Virtualization: whether this host is a VM guest, and under which
// hypervisor; plus the SMBIOS identity and chassis.
//
// On x86 the CPU's "hypervisor" flag answers *whether* (every mainstream
// hypervisor sets it, bare metal never does); SMBIOS strings, ACPI table OEM
// ids and /sys/hypervisor answer *which*. Elsewhere, a named hypervisor, a
// real SMBIOS vendor or a device-tree board answer both.
#include "detect/probes.h"

#include "util/text.h"

namespace tune::detect {
namespace {

constexpr const char* kDmi = "/sys/class/dmi/id";

struct Identified {
  std::string name;
  std::string why;
};

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

Identified from_dmi(const PlatformFacts& platform, const std::string& board, const std::string& bios) {
  const std::string& vendor = platform.dmi_vendor;
  const std::string& product = platform.dmi_product;
  auto says = [&](const char* needle) {
    return contains(vendor, needle) || contains(product, needle) || contains(board, needle) || contains(bios, needle);
  };
  const std::string why = "SMBIOS says '" + vendor + (product.empty() ? "" : " " + product) + "'";
  if (says("Amazon EC2")) return {"amazon", why};
  if (says("Google")) return {"google", why};
  if (says("KVM") || says("QEMU") || contains(product, "OpenStack")) return {"kvm", why};
  if (says("VMware")) return {"vmware", why};
  if (contains(vendor, "Microsoft") && contains(product, "Virtual")) return {"microsoft", why};
  if (says("innotek") || says("VirtualBox")) return {"oracle", why};
  if (says("Xen")) return {"xen", why};
  if (says("Parallels")) return {"parallels", why};
  if (says("Bochs")) return {"bochs", why};
  if (says("Cloud Hypervisor")) return {"cloud-hypervisor", why};
  if (says("Alibaba")) return {"alibaba", why};
  if (says("Apple Virtualization")) return {"apple", why};
  return {};
}

// ACPI table headers carry a 6-byte OEM id at offset 10; hypervisors that
// boot guests without SMBIOS still fill it. The tables are root-only.
Identified from_acpi(Probe& probe) {
  static const std::pair<const char*, const char*> kOemIds[] = {
      {"FIRECK", "firecracker"}, {"CLOUDH", "cloud-hypervisor"}, {"VRTUAL", "microsoft"},
      {"VBOX", "oracle"},        {"BOCHS", "kvm"},               {"Xen", "xen"},
      {"AMAZON", "amazon"}};
  for (const char* table : {"FACP", "APIC", "DSDT"}) {
    auto bytes = probe.read(std::string("/sys/firmware/acpi/tables/") + table);
    if (!bytes || bytes->size() < 16) continue;
    const std::string oem = trim(bytes->substr(10, 6));
    for (const auto& [id, name] : kOemIds) {
      if (oem == id) return {name, std::string("ACPI ") + table + " OEM id '" + oem + "'"};
    }
    return {};  // every table of a machine carries the same OEM id
  }
  return {};
}

// Device-tree strings are NUL-terminated lists: "raspberrypi,4-model-b\0brcm,bcm2711\0".
std::string device_tree_text(Probe& probe, const std::string& path) {
  auto text = probe.read(path);
  if (!text) return "";
  std::string joined;
  for (const auto& part : split(*text, '\0')) {
    if (!trim(part).empty()) joined += (joined.empty() ? "" : ", ") + trim(part);
  }
  return joined;
}

bool has_flag(const CpuFacts& cpu, const char* flag) {
  for (const auto& f : cpu.flags) {
    if (f == flag) return true;
  }
  return false;
}

}  // namespace

std::string chassis_name(long long type) {
  // SMBIOS System Enclosure types.
  switch (type) {
    case 8: case 9: case 10: case 14: case 31: case 32: return "laptop";
    case 3: case 4: case 5: case 6: case 7: case 13: case 15: case 16: case 24: case 35: case 36: return "desktop";
    case 17: case 23: case 25: case 28: case 29: return "server";
    case 11: case 30: return "tablet";
    case 2: return "";  // "Unknown"
    default: return "other";
  }
}

std::string hypervisor_named_by_smbios(const std::string& vendor, const std::string& product,
                                       const std::string& board, const std::string& bios) {
  PlatformFacts platform;
  platform.dmi_vendor = vendor;
  platform.dmi_product = product;
  return from_dmi(platform, board, bios).name;
}

void probe_virtualization(Probe& probe) {
  HostFacts& facts = probe.facts();
  PlatformFacts& platform = facts.platform;
  platform.dmi_vendor = probe.line(std::string(kDmi) + "/sys_vendor");
  platform.dmi_product = probe.line(std::string(kDmi) + "/product_name");
  const std::string board = probe.line(std::string(kDmi) + "/board_vendor");
  const std::string bios = probe.line(std::string(kDmi) + "/bios_vendor");
  const bool has_dmi = !platform.dmi_vendor.empty() || !platform.dmi_product.empty();

  Identified named;
  const std::string hypervisor_type = probe.line("/sys/hypervisor/type");
  if (hypervisor_type == "xen") {
    if (contains(probe.line("/proc/xen/capabilities"), "control_d")) {
      facts.virtualization = "none";
      probe.note("virtualization", "Xen dom0: the control domain drives the hardware");
      return;
    }
    named = {"xen", "/sys/hypervisor/type is xen"};
  }
  if (named.name.empty()) named = from_dmi(platform, board, bios);
  if (named.name.empty() && contains(device_tree_text(probe, "/proc/device-tree/hypervisor/compatible"), "xen")) {
    named = {"xen", "device tree has a xen hypervisor node"};
  }
  const std::string dt_compatible = device_tree_text(probe, "/proc/device-tree/compatible");
  if (named.name.empty() && contains(dt_compatible, "linux,dummy-virt")) {
    named = {"kvm", "device tree is QEMU's virt machine"};
  }

  const bool x86 = facts.arch == "x86_64" || facts.arch == "i686" || starts_with(facts.cpu.vendor, "Genuine") ||
                   facts.cpu.vendor == "AuthenticAMD";
  if (x86 && facts.cpu.flags_known) {
    if (!has_flag(facts.cpu, "hypervisor")) {
      facts.virtualization = "none";
      probe.note("virtualization", "the CPU has no hypervisor flag" +
                                       (named.name.empty() ? std::string() : " (though " + named.why + ")"));
    } else {
      if (named.name.empty()) named = from_acpi(probe);
      facts.virtualization = named.name.empty() ? "vm-other" : named.name;
      probe.note("virtualization", "the CPU has the hypervisor flag; " +
                                       (named.name.empty() ? std::string("no SMBIOS or ACPI table names the hypervisor")
                                                           : named.why));
    }
  } else if (!named.name.empty()) {
    facts.virtualization = named.name;
    probe.note("virtualization", named.why);
  } else if (has_dmi) {
    facts.virtualization = "none";
    probe.note("virtualization", "SMBIOS vendor '" + platform.dmi_vendor + "' is not a hypervisor");
  } else if (!dt_compatible.empty()) {
    facts.virtualization = "none";
    std::string model = device_tree_text(probe, "/proc/device-tree/model");
    probe.note("virtualization", "device-tree machine '" + (model.empty() ? dt_compatible : model) +
                                     "' without a hypervisor node");
  }

  if (!facts.virtualization.empty() && facts.virtualization != "none") {
    platform.chassis = "vm";
  } else if (auto type = probe.integer(std::string(kDmi) + "/chassis_type")) {
    platform.chassis = chassis_name(*type);
  }
}

}  // namespace tune::detect
