// PCI devices: GPUs by vendor id, NICs, NVMe controllers.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

void write_function(const TempTree& tree, const std::string& address, const std::string& vendor, const std::string& device,
                    const std::string& class_code, int numa_node = -1) {
  const std::string dir = "/sys/bus/pci/devices/" + address + "/";
  tree.write(dir + "vendor", "0x" + vendor + "\n");
  tree.write(dir + "device", "0x" + device + "\n");
  tree.write(dir + "class", "0x" + class_code + "\n");
  tree.write(dir + "numa_node", std::to_string(numa_node) + "\n");
}

TEST(PciProbe, FindsGpusByVendorAndClass) {
  ProbeHarness h;
  write_function(h.tree, "0000:17:00.0", "10de", "2330", "030200", 0);  // NVIDIA H100, 3D controller
  h.tree.mkdir("/sys/bus/pci/devices/0000:17:00.0/drm/card1");
  write_function(h.tree, "0000:c3:00.0", "1002", "74a1", "120000", 1);  // AMD MI300X, processing accelerator
  h.tree.write("/sys/bus/pci/devices/0000:c3:00.0/mem_info_vram_total", "206141652992\n");
  write_function(h.tree, "0000:00:02.0", "8086", "a7a1", "030000");  // Intel iGPU
  write_function(h.tree, "0000:03:00.0", "1a03", "2000", "030000");  // ASPEED BMC display: not a GPU
  detect::probe_pci(h.probe);
  const DeviceFacts& d = h.facts.devices;
  ASSERT_TRUE(d.pci_known);
  ASSERT_EQ(d.gpus.size(), 3u);
  EXPECT_EQ(d.gpus[0].vendor, "intel");
  EXPECT_EQ(d.gpus[1].vendor, "nvidia");
  EXPECT_EQ(d.gpus[1].numa_node, 0);
  EXPECT_EQ(d.gpus[1].os_devices, (std::vector<std::string>{"card1"}));
  EXPECT_FALSE(d.gpus[1].memory_bytes) << "NVIDIA's driver does not publish memory in sysfs";
  EXPECT_EQ(d.gpus[2].vendor, "amd");
  EXPECT_EQ(d.gpus[2].memory_bytes, 206141652992ull);
  FactMap map = flatten_facts(h.facts);
  EXPECT_EQ(map.at("gpu.count"), "3");
  EXPECT_EQ(map.at("gpu.nvidia.count"), "1");
  EXPECT_EQ(map.at("gpu.amd.count"), "1");
  EXPECT_EQ(map.at("gpu.intel.count"), "1");
  EXPECT_EQ(map.count("gpu.memory_gib"), 0u);
}

TEST(PciProbe, FindsNicsAndNvmeWithTheirKernelNames) {
  ProbeHarness h;
  write_function(h.tree, "0000:41:00.0", "15b3", "1021", "020700", 1);
  h.tree.mkdir("/sys/bus/pci/devices/0000:41:00.0/net/ibp65s0");
  h.tree.mkdir("/sys/bus/pci/devices/0000:41:00.0/infiniband/mlx5_0");
  write_function(h.tree, "0000:00:03.0", "1af4", "1041", "020000");  // virtio-net: the name is one level down
  h.tree.mkdir("/sys/bus/pci/devices/0000:00:03.0/virtio2/net/eth0");
  write_function(h.tree, "0000:c1:00.0", "144d", "a80a", "010802");
  h.tree.mkdir("/sys/bus/pci/devices/0000:c1:00.0/nvme/nvme0");
  write_function(h.tree, "0000:00:1f.0", "8086", "1234", "060100");  // an ISA bridge: ignored
  detect::probe_pci(h.probe);
  const DeviceFacts& d = h.facts.devices;
  ASSERT_EQ(d.nics.size(), 2u);
  EXPECT_EQ(d.nics[0].interfaces, (std::vector<std::string>{"eth0"}));
  EXPECT_EQ(d.nics[1].interfaces, (std::vector<std::string>{"ibp65s0", "mlx5_0"}));
  ASSERT_EQ(d.nvme.size(), 1u);
  EXPECT_EQ(d.nvme[0].controllers, (std::vector<std::string>{"nvme0"}));
  EXPECT_TRUE(d.gpus.empty());
  EXPECT_EQ(flatten_facts(h.facts).at("gpu.count"), "0");
}

TEST(PciProbe, NoPciBusLeavesDevicesUnknown) {
  ProbeHarness h;
  detect::probe_pci(h.probe);
  EXPECT_FALSE(h.facts.devices.pci_known);
  EXPECT_EQ(flatten_facts(h.facts).count("gpu.count"), 0u);
}

TEST(PciProbe, MalformedIdsWarnAndSkipTheFunction) {
  ProbeHarness h;
  write_function(h.tree, "0000:17:00.0", "10de", "2330", "03zz00");
  write_function(h.tree, "0000:18:00.0", "nvidia", "2330", "030200");
  h.tree.write("/sys/bus/pci/devices/0000:19:00.0/class", "");  // truncated
  detect::probe_pci(h.probe);
  EXPECT_TRUE(h.facts.devices.gpus.empty());
  EXPECT_TRUE(h.warned("0000:17:00.0/class: expected a hexadecimal PCI class"));
  EXPECT_TRUE(h.warned("0000:18:00.0/vendor: expected hexadecimal PCI vendor and device ids"));
  EXPECT_TRUE(h.warned("0000:19:00.0/class"));
}

}  // namespace
}  // namespace tune::testing
