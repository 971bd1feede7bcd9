// Block devices: kind, rotation, scheduler, read-ahead.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

void write_disk(const TempTree& tree, const std::string& name, const std::string& rotational, const std::string& scheduler) {
  tree.write("/sys/block/" + name + "/queue/rotational", rotational);
  tree.write("/sys/block/" + name + "/queue/scheduler", scheduler);
  tree.write("/sys/block/" + name + "/queue/read_ahead_kb", "128\n");
  tree.write("/sys/block/" + name + "/size", "2000409264\n");
}

const BlockDeviceFacts* find(const HostFacts& facts, const std::string& name) {
  for (const auto& device : facts.block.devices) {
    if (device.name == name) return &device;
  }
  return nullptr;
}

TEST(BlockProbe, ReadsEachDisk) {
  ProbeHarness h;
  write_disk(h.tree, "nvme0n1", "0\n", "[none] mq-deadline kyber bfq\n");
  write_disk(h.tree, "sda", "1\n", "none [mq-deadline] kyber bfq\n");
  h.tree.write("/sys/block/sda/device/model", "ST16000NM004J   \n");
  write_disk(h.tree, "vda", "1\n", "[none] mq-deadline\n");
  detect::probe_block(h.probe);
  ASSERT_TRUE(h.facts.block.known);
  const auto* nvme = find(h.facts, "nvme0n1");
  ASSERT_TRUE(nvme);
  EXPECT_EQ(nvme->kind, "nvme");
  EXPECT_EQ(nvme->rotational, false);
  EXPECT_EQ(nvme->scheduler, "none");
  EXPECT_EQ(nvme->schedulers.size(), 4u);
  EXPECT_EQ(nvme->read_ahead_kb, 128);
  EXPECT_EQ(nvme->size_bytes, 2000409264ull * 512);
  const auto* sda = find(h.facts, "sda");
  EXPECT_EQ(sda->kind, "scsi");
  EXPECT_EQ(sda->scheduler, "mq-deadline");
  EXPECT_EQ(sda->model, "ST16000NM004J");
  EXPECT_EQ(find(h.facts, "vda")->kind, "virtio");
  FactMap map = flatten_facts(h.facts);
  EXPECT_EQ(map.at("block.disks"), "3");
  EXPECT_EQ(map.at("block.rotational"), "2");
  EXPECT_EQ(map.at("block.virtio"), "1");
  EXPECT_EQ(map.at("block.sda.scheduler"), "mq-deadline");
}

TEST(BlockProbe, TheDriverNamesVirtioWhereTheNameDoesNot) {
  ProbeHarness h;
  write_disk(h.tree, "sdb", "1\n", "[none]\n");
  h.tree.write("/sys/block/sdb/device/uevent", "DRIVER=virtio_blk\nMODALIAS=virtio:d00000002v00001AF4\n");
  detect::probe_block(h.probe);
  EXPECT_EQ(find(h.facts, "sdb")->kind, "virtio");
}

TEST(BlockProbe, ABareNoneSchedulerIsNone) {
  ProbeHarness h;
  write_disk(h.tree, "vdb", "0\n", "none\n");
  detect::probe_block(h.probe);
  EXPECT_EQ(find(h.facts, "vdb")->scheduler, "none");
  EXPECT_TRUE(h.facts.warnings.empty());
}

TEST(BlockProbe, LoopAndZramAreListedNotRead) {
  ProbeHarness h;
  h.tree.write("/sys/block/loop0/queue/rotational", "garbage\n");
  h.tree.mkdir("/sys/block/zram0");
  detect::probe_block(h.probe);
  ASSERT_EQ(h.facts.block.devices.size(), 2u);
  EXPECT_EQ(find(h.facts, "loop0")->kind, "loop");
  EXPECT_FALSE(find(h.facts, "loop0")->rotational);
  EXPECT_TRUE(h.facts.warnings.empty()) << "a loop device's files are not read, so not judged";
  EXPECT_EQ(flatten_facts(h.facts).at("block.disks"), "0");
}

TEST(BlockProbe, MalformedFilesWarnAndStayUnknown) {
  ProbeHarness h;
  write_disk(h.tree, "nvme1n1", "spinning\n", "mq-deadline kyber\n");
  h.tree.write("/sys/block/nvme1n1/queue/read_ahead_kb", "");
  detect::probe_block(h.probe);
  const auto* disk = find(h.facts, "nvme1n1");
  ASSERT_TRUE(disk);
  EXPECT_FALSE(disk->rotational);
  EXPECT_TRUE(disk->scheduler.empty());
  EXPECT_FALSE(disk->read_ahead_kb);
  EXPECT_TRUE(h.warned("nvme1n1/queue/rotational: expected 0 or 1, found 'spinning'"));
  EXPECT_TRUE(h.warned("nvme1n1/queue/scheduler: expected schedulers with one in [brackets]"));
  EXPECT_TRUE(h.warned("nvme1n1/queue/read_ahead_kb: expected a whole number, found nothing"));
}

TEST(BlockProbe, NoSysBlockLeavesDisksUnknown) {
  ProbeHarness h;
  detect::probe_block(h.probe);
  EXPECT_FALSE(h.facts.block.known);
  EXPECT_EQ(flatten_facts(h.facts).count("block.disks"), 0u);
}

}  // namespace
}  // namespace tune::testing
