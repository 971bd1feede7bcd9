// HostFacts: the flat names profiles match on, and the JSON round trip.
#include "core/facts.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tune {
namespace {

HostFacts sample_facts() {
  HostFacts facts;
  facts.identity = {"node-1", "0123456789abcdef0123456789abcdef", "6.10.3-amd64"};
  facts.arch = "x86_64";
  facts.os = "linux";
  facts.os_id = "debian";
  facts.os_version = "12";
  facts.os_name = "Debian GNU/Linux 12 (bookworm)";
  facts.cpu.vendor = "AuthenticAMD";
  facts.cpu.model = "AMD EPYC 9654";
  facts.cpu.packages = 2;
  facts.cpu.cores = 192;
  facts.cpu.logical = 384;
  facts.cpu.allowed = 384;
  facts.cpu.flags_known = true;
  facts.cpu.flags = {"avx2", "avx512f"};
  facts.cpu.caches = {{1, "data", 32768, 192}, {2, "unified", 1048576, 192}, {3, "unified", 33554432, 24}};
  facts.cpu.present = "0-383";
  facts.cpu.online = "0-381";
  facts.cpu.package_cpus = {{0, "0-95,192-287"}, {1, "96-191,288-383"}};
  facts.uname = "Linux node-1 6.10.3-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.10.3-1 (2024-08-04) x86_64";
  facts.cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2\n";
  facts.topology.source = "hwloc linux";
  facts.topology.numa_known = true;
  facts.topology.numa_nodes = {{0, 200ull << 30, 192, {{2048, 0}}}, {1, 190ull << 30, 192, {{2048, 16}}}};
  facts.memory.total_bytes = 390ull << 30;
  facts.memory.swap_bytes = 0;
  facts.memory.thp_enabled = "madvise";
  facts.memory.thp_enabled_modes = {"always", "madvise", "never"};
  facts.memory.thp_defrag = "defer";
  facts.memory.hugepages = {{2048, 16}, {1048576, 0}};
  facts.cpufreq = {"amd-pstate-epp", "powersave", {"performance", "powersave"}, "balance_performance",
                   {"performance", "balance_performance"}, true};
  facts.devices.pci_known = true;
  facts.devices.source = "sysfs";
  facts.devices.gpus = {{"0000:17:00.0", "nvidia", 0x10de, 0x2330, "H100", 80ull << 30, 0, {"card1"}, std::nullopt, false},
                        {"0000:97:00.0", "nvidia", 0x10de, 0x2330, "H100", 80ull << 30, 1, {"card2"}, std::nullopt, false}};
  facts.devices.nics = {{"0000:41:00.0", 0x15b3, 0x1021, "ConnectX-7", 0, {"mlx5_0"}}};
  facts.devices.nvme = {{"0000:c1:00.0", 0x144d, 0xa80a, "", 1, {"nvme0"}}};
  facts.block.known = true;
  facts.block.devices = {{"nvme0n1", "nvme", false, "none", {"none", "mq-deadline"}, 128, 3840755982336ull, "PM9A3"},
                         {"sda", "scsi", true, "mq-deadline", {"none", "mq-deadline"}, 4096, 16000900661248ull, ""},
                         {"loop0", "loop", std::nullopt, "", {}, std::nullopt, std::nullopt, ""}};
  facts.power = {true, false, false, std::nullopt};
  facts.platform = {"unified", "Dell Inc.", "PowerEdge R7625", "server"};
  facts.virtualization = "none";
  facts.container = "none";
  facts.source = "host";
  facts.evidence["virtualization"] = "the CPU has no hypervisor flag";
  facts.warnings = {"/sys/x: expected 0 or 1, found 'maybe'; treated as unknown"};
  return facts;
}

TEST(FlattenFacts, NamesTheDocumentedFacts) {
  FactMap map = flatten_facts(sample_facts());
  EXPECT_EQ(map.at("kernel.major"), "6");
  EXPECT_EQ(map.at("kernel.minor"), "10");
  EXPECT_EQ(map.at("os"), "linux");
  EXPECT_EQ(map.at("os.id"), "debian");
  EXPECT_EQ(map.at("cpu.logical"), "384");
  EXPECT_EQ(map.at("cpu.threads_per_core"), "2");
  EXPECT_EQ(map.at("cpu.smt"), "true");
  EXPECT_EQ(map.at("cpu.flags"), "avx2 avx512f");
  EXPECT_EQ(map.at("cpu.flag.avx512f"), "true");
  EXPECT_EQ(map.at("cache.l3_kib"), "32768");
  EXPECT_EQ(map.at("cache.l3_count"), "24");
  EXPECT_EQ(map.at("numa.nodes"), "2");
  EXPECT_EQ(map.at("numa.node_memory_gib"), "190");
  EXPECT_EQ(map.at("memory.total_gib"), "390");
  EXPECT_EQ(map.at("memory.swap_gib"), "0");
  EXPECT_EQ(map.at("memory.thp"), "madvise");
  EXPECT_EQ(map.at("hugepages.2M.count"), "16");
  EXPECT_EQ(map.at("hugepages.1G.count"), "0");
  EXPECT_EQ(map.at("cpufreq.driver"), "amd-pstate-epp");
  EXPECT_EQ(map.at("cpufreq.boost"), "true");
  EXPECT_EQ(map.at("gpu.count"), "2");
  EXPECT_EQ(map.at("gpu.nvidia.count"), "2");
  EXPECT_EQ(map.at("gpu.amd.count"), "0");
  EXPECT_EQ(map.at("gpu.memory_gib"), "160");
  EXPECT_EQ(map.at("nic.count"), "1");
  EXPECT_EQ(map.at("nvme.count"), "1");
  EXPECT_EQ(map.at("block.disks"), "2");
  EXPECT_EQ(map.at("block.rotational"), "1");
  EXPECT_EQ(map.at("block.nvme0n1.scheduler"), "none");
  EXPECT_EQ(map.at("block.sda.rotational"), "true");
  EXPECT_EQ(map.count("block.loop0.kind"), 0u) << "loop devices are not tuned, so not named";
  EXPECT_EQ(map.at("cgroup.version"), "2");
  EXPECT_EQ(map.at("dmi.chassis"), "server");
  EXPECT_EQ(map.at("power.on_battery"), "false");
  EXPECT_EQ(map.count("power.battery_percent"), 0u);
}

TEST(FlattenFacts, UnknownFactsAreAbsentNotGuessed) {
  FactMap map = flatten_facts(HostFacts{});
  EXPECT_TRUE(map.empty()) << "first key: " << map.begin()->first;
}

TEST(FlattenFacts, MemoryRoundsToTheNearestGib) {
  HostFacts facts;
  facts.memory.total_bytes = (64ull << 30) - (300ull << 20);  // what a "64 GiB" machine reports
  EXPECT_EQ(flatten_facts(facts).at("memory.total_gib"), "64");
  EXPECT_EQ(flatten_facts(facts).at("memory.total_mib"), "65236");
}

TEST(FlattenFacts, GpuMemoryIsUnknownWhenAnyGpuIsUnknown) {
  HostFacts facts = sample_facts();
  facts.devices.gpus[1].memory_bytes.reset();
  EXPECT_EQ(flatten_facts(facts).count("gpu.memory_gib"), 0u);
}

TEST(FlattenFacts, DeviceCountsNeedThePciBusToHaveBeenRead) {
  HostFacts facts = sample_facts();
  facts.devices = DeviceFacts{};
  FactMap map = flatten_facts(facts);
  EXPECT_EQ(map.count("gpu.count"), 0u);
  EXPECT_EQ(map.count("gpu.nvidia.count"), 0u);
}

TEST(FlattenFacts, HybridCgroupsAreVersionOne) {
  HostFacts facts;
  facts.platform.cgroup_mode = "hybrid";
  EXPECT_EQ(flatten_facts(facts).at("cgroup.version"), "1");
}

TEST(FactsJson, RoundTripsEveryField) {
  HostFacts facts = sample_facts();
  nlohmann::json written = facts_to_json(facts);
  auto read = facts_from_json(written);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(facts_to_json(*read), written);
  EXPECT_EQ(flatten_facts(*read), flatten_facts(facts));
}

TEST(FlattenFacts, NamesCpuListsPackagesUnameAndCpuinfo) {
  FactMap map = flatten_facts(sample_facts());
  EXPECT_EQ(map.at("cpu.present"), "0-383");
  EXPECT_EQ(map.at("cpu.online"), "0-381");
  EXPECT_EQ(map.at("cpu.package.0.cpus"), "0-95,192-287");
  EXPECT_EQ(map.at("cpu.package.1.cpus"), "96-191,288-383");
  EXPECT_EQ(map.at("uname").substr(0, 13), "Linux node-1 ");
  EXPECT_NE(map.at("cpuinfo").find("vendor_id\t: AuthenticAMD"), std::string::npos);
}

TEST(FactsJson, CpuListsPackagesUnameAndCpuinfoRoundTrip) {
  HostFacts facts = sample_facts();
  nlohmann::json written = facts_to_json(facts);
  EXPECT_EQ(written["cpu"]["package_cpus"]["1"], "96-191,288-383");
  auto read = facts_from_json(written);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->cpu.present, "0-383");
  EXPECT_EQ(read->cpu.online, "0-381");
  EXPECT_EQ(read->cpu.package_cpus, facts.cpu.package_cpus);
  EXPECT_EQ(read->uname, facts.uname);
  EXPECT_EQ(read->cpuinfo, facts.cpuinfo);
  // Files written before these facts existed still load, with them unknown.
  written["cpu"].erase("present");
  written["cpu"].erase("online");
  written["cpu"].erase("package_cpus");
  written.erase("uname");
  written.erase("cpuinfo");
  auto old = facts_from_json(written);
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_TRUE(old->cpu.present.empty());
  EXPECT_TRUE(old->cpu.package_cpus.empty());
  EXPECT_EQ(flatten_facts(*old).count("cpuinfo"), 0u);
  written["cpu"]["package_cpus"] = {{"zero", "0-3"}};
  auto bad = facts_from_json(written);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("cpu.package_cpus.zero"), std::string::npos);
}

TEST(CpuinfoDeduplicated, KeepsOneBlockPerKindOfCpu) {
  std::string cpuinfo;
  for (int cpu = 0; cpu < 4; ++cpu) {
    cpuinfo += "processor\t: " + std::to_string(cpu) + "\nvendor_id\t: GenuineIntel\nphysical id\t: " +
               std::to_string(cpu / 2) + "\ncore id\t\t: " + std::to_string(cpu % 2) + "\ncpu MHz\t\t: 2" +
               std::to_string(cpu) + "00.000\nflags\t\t: fpu avx2\nbogomips\t: 4800.00\n\n";
  }
  const std::string kept = cpuinfo_deduplicated(cpuinfo);
  // One block per package: processor 0 and 2 stand for their siblings.
  EXPECT_NE(kept.find("processor\t: 0\n"), std::string::npos);
  EXPECT_EQ(kept.find("processor\t: 1\n"), std::string::npos);
  EXPECT_NE(kept.find("processor\t: 2\n"), std::string::npos);
  EXPECT_EQ(kept.find("processor\t: 3\n"), std::string::npos);
  EXPECT_NE(kept.find("cpu MHz\t\t: 2000.000"), std::string::npos);
  // A trailer that is not a CPU (s390, ppc) is kept as it is.
  EXPECT_NE(cpuinfo_deduplicated(cpuinfo + "timebase\t: 512000000\n").find("timebase"), std::string::npos);
  EXPECT_EQ(cpuinfo_deduplicated(""), "");
}

TEST(FactsJson, UnknownFactsRoundTripAsUnknown) {
  HostFacts facts;
  auto read = facts_from_json(facts_to_json(facts));
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(read->cpu.flags_known);
  EXPECT_FALSE(read->devices.pci_known);
  EXPECT_FALSE(read->block.known);
  EXPECT_FALSE(read->topology.numa_known);
  EXPECT_TRUE(flatten_facts(*read).empty());
}

TEST(FactsJson, DeclaresKindAndSchema) {
  nlohmann::json written = facts_to_json(HostFacts{});
  EXPECT_EQ(written.at("kind"), "tune-facts");
  EXPECT_EQ(written.at("schema"), HostFacts::kSchema);
}

TEST(FactsJson, ReadsSchemaOne) {
  auto document = nlohmann::json::parse(R"({
    "schema": 1, "kind": "tune-facts",
    "identity": {"hostname": "old", "machine_id": null, "kernel": "5.15.0"},
    "arch": "x86_64", "os": {"id": "ubuntu", "name": "Ubuntu 22.04"},
    "cpu": {"vendor": "GenuineIntel", "model": null, "logical": 8, "cores": 4, "packages": 1, "flags": []},
    "memory": {"total_bytes": 17179869184, "swap_bytes": 0},
    "virtualization": "kvm", "container": "none"})");
  auto facts = facts_from_json(document);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->identity.hostname, "old");
  EXPECT_EQ(facts->os_id, "ubuntu");
  EXPECT_EQ(facts->cpu.logical, 8);
  EXPECT_FALSE(facts->cpu.flags_known) << "schema 1 wrote [] for flags it could not read";
  EXPECT_EQ(flatten_facts(*facts).at("memory.total_gib"), "16");
  EXPECT_EQ(facts->virtualization, "kvm");
}

TEST(FactsJson, RefusesANewerSchema) {
  nlohmann::json document = facts_to_json(HostFacts{});
  document["schema"] = HostFacts::kSchema + 1;
  auto facts = facts_from_json(document);
  ASSERT_FALSE(facts);
  EXPECT_NE(facts.error().message.find("schema 3 is not one this tune reads"), std::string::npos) << facts.error().message;
}

TEST(FactsJson, RefusesAnotherKindOfDocument) {
  auto facts = facts_from_json(nlohmann::json{{"format", 1}, {"changes", nlohmann::json::array()}});
  ASSERT_FALSE(facts);
  EXPECT_NE(facts.error().message.find("not a facts file"), std::string::npos);
}

TEST(FactsJson, AWrongTypeNamesTheField) {
  nlohmann::json document = facts_to_json(sample_facts());
  document["cpu"]["logical"] = "many";
  auto facts = facts_from_json(document);
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().message, "cpu.logical: expected a whole number, not negative");

  document = facts_to_json(sample_facts());
  document["devices"]["gpus"][1]["vendor_id"] = "nvidia";
  facts = facts_from_json(document);
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().message, "devices.gpus[1].vendor_id: expected a 4-digit hexadecimal PCI id");
}

TEST(FactsJson, ANegativeCountIsRefused) {
  nlohmann::json document = facts_to_json(sample_facts());
  document["memory"]["total_bytes"] = -5;
  EXPECT_FALSE(facts_from_json(document));
}

TEST(FactsJson, ACountTooBigForItsFieldIsRefused) {
  nlohmann::json document = facts_to_json(sample_facts());
  document["cpu"]["logical"] = 1ull << 40;
  auto facts = facts_from_json(document);
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().message, "cpu.logical: expected a smaller number");
}

TEST(FactsJson, MalformedTextGivesLineAndColumn) {
  auto facts = facts_from_json_text("{\n  \"kind\": \"tune-facts\",\n  \"schema\": 2,,\n}\n", "saved.json");
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().message.rfind("saved.json:3:", 0), 0u) << facts.error().message;
  EXPECT_NE(facts.error().message.find("not valid JSON"), std::string::npos);
}

// Found by facts_fuzz: nlohmann throws out_of_range, not parse_error, for these.
TEST(FactsJson, ANumberPastADoubleIsAnErrorNotACrash) {
  auto facts = facts_from_json_text("{\"kind\": \"tune-facts\", \"schema\": 4E444}", "big.json");
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().message, "big.json: not valid JSON (a number out of range)");
}

TEST(FactsJson, TruncatedTextIsAnErrorNotACrash) {
  std::string text = facts_to_json(sample_facts()).dump(2);
  for (size_t cut : {size_t{0}, size_t{1}, text.size() / 3, text.size() / 2, text.size() - 2}) {
    auto facts = facts_from_json_text(text.substr(0, cut), "cut.json");
    EXPECT_FALSE(facts) << "cut at " << cut;
  }
}

TEST(HugepageSizeName, UsesPeoplesUnits) {
  EXPECT_EQ(hugepage_size_name(2048), "2M");
  EXPECT_EQ(hugepage_size_name(1048576), "1G");
  EXPECT_EQ(hugepage_size_name(64), "64K");
  EXPECT_EQ(hugepage_size_name(32768), "32M");
}

}  // namespace
}  // namespace tune
