// Fixture hosts for plan tests: host facts plus a rooted tree holding the
// /proc/sys files such a host has, filled from the knowledge base's defaults.
#pragma once

#include "core/facts.h"
#include "core/knowledge.h"
#include "support/sysfs_fixture.h"
#include "support/temp_tree.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace tune::testing {

struct FixtureHost {
  std::string name;
  HostFacts facts;
  std::unique_ptr<TempTree> tree;
};

// A plausible live value for a sysctl the knowledge base describes.
inline std::string fixture_value(const KnowledgeEntry& entry) {
  if (!entry.default_value.empty()) return entry.default_value;
  switch (entry.type) {
    case ValueType::Integers: {
      std::string value;
      for (int i = 0; i < entry.fields; ++i) value += (i ? " " : "") + std::string("1");
      return value;
    }
    case ValueType::Enum: return entry.values.front();
    case ValueType::Word: return "cubic";
    default: return entry.min ? *entry.min : "1";
  }
}

// Write /proc/sys files for the knowledge base's current Linux sysctls,
// except those `absent` names; `read_only` ones get mode 0444.
inline void write_proc_sys(const TempTree& tree, const std::vector<std::string>& absent,
                           const std::vector<std::string>& read_only) {
  for (const auto& entry : Knowledge::builtin().entries()) {
    if (entry.domain != "sysctl" || entry.status != Verdict::Valid || !entry.os.empty()) continue;
    std::string key = entry.key;
    for (const char* iface : {"all", "default"}) {
      std::string concrete = key;
      if (auto star = concrete.find('*'); star != std::string::npos) concrete.replace(star, 1, iface);
      if (std::find(absent.begin(), absent.end(), concrete) != absent.end()) continue;
      std::string path = "/proc/sys/";
      for (char c : concrete) path += c == '.' ? '/' : c;
      bool locked = std::find(read_only.begin(), read_only.end(), concrete) != read_only.end();
      tree.write(path, fixture_value(entry) + "\n", locked ? 0444 : 0644);
      if (concrete == key) break;
    }
  }
}

inline HostFacts facts_of(const std::string& os, const std::string& virtualization, int logical, int cores, int packages,
                          unsigned long long memory_gib) {
  HostFacts facts;
  facts.identity = {"fixture-" + os, "0123456789abcdef0123456789abcdef", "6.1.0-18-amd64"};
  facts.arch = "x86_64";
  facts.os = os == "macos" || os == "windows" ? os : "linux";
  facts.os_id = os;
  facts.cpu.vendor = "GenuineIntel";
  facts.cpu.logical = logical;
  facts.cpu.cores = cores;
  facts.cpu.packages = packages;
  facts.memory.total_bytes = memory_gib << 30;
  facts.virtualization = virtualization;
  facts.container = "none";
  return facts;
}

// Four shapes: a two-socket server (intel_pstate with EPP, two NUMA nodes of
// hugepages, NVMe, SATA HDD and SSD, zram), a small KVM guest with missing
// and read-only keys and a virtio disk but no cpufreq, a laptop
// (acpi-cpufreq, NVMe), and a Mac (no /proc at all).
inline std::vector<FixtureHost> fixture_hosts() {
  std::vector<FixtureHost> hosts;
  {
    FixtureHost server{"two-socket server", facts_of("debian", "none", 64, 32, 2, 256), std::make_unique<TempTree>()};
    server.facts.topology.numa_known = true;
    server.facts.topology.numa_nodes.resize(2);
    server.facts.cpufreq.driver = "intel_pstate";
    write_proc_sys(*server.tree, {}, {});
    const TempTree& tree = *server.tree;
    add_cpufreq(tree, CpufreqFixture{});
    add_cpus(tree, 4, true, {{"POLL", 0}, {"C1", 2}, {"C1E", 10}, {"C6", 133}});
    add_block_device(tree, {"nvme0n1", false, "[none] mq-deadline", "128", "1023", {"nvme0n1p1"}, {}});
    add_block_device(tree, {"sda", true, "[mq-deadline] none bfq", "128", "64", {"sda1"}, {}});
    add_block_device(tree, {"sdb", false, "[mq-deadline] none", "128", "64", {}, {}});
    add_thp(tree);
    add_hugepages(tree, {2048, 1048576}, 2);
    add_meminfo(tree, 256ull << 20, 200ull << 20);
    add_zram(tree, "zram0");
    add_swaps(tree);
    hosts.push_back(std::move(server));
  }
  {
    FixtureHost guest{"kvm guest", facts_of("ubuntu", "kvm", 4, 4, 1, 8), std::make_unique<TempTree>()};
    write_proc_sys(*guest.tree, {"net.netfilter.nf_conntrack_max", "kernel.numa_balancing", "net.core.busy_poll"},
                   {"kernel.pid_max", "fs.aio-max-nr"});
    add_block_device(*guest.tree, {"vda", false, "[mq-deadline] none kyber", "128", "256", {"vda1"}, {}});
    add_thp(*guest.tree);
    add_hugepages(*guest.tree, {2048}, 1);
    add_meminfo(*guest.tree, 8ull << 20, 6ull << 20);
    add_swaps(*guest.tree);
    hosts.push_back(std::move(guest));
  }
  {
    FixtureHost laptop{"laptop", facts_of("fedora", "none", 8, 4, 1, 16), std::make_unique<TempTree>()};
    laptop.facts.power.battery_present = true;
    laptop.facts.power.on_battery = true;
    laptop.facts.cpufreq.driver = "acpi-cpufreq";
    write_proc_sys(*laptop.tree, {"vm.compaction_proactiveness"}, {"kernel.nmi_watchdog"});
    CpufreqFixture acpi;
    acpi.driver = "acpi-cpufreq";
    acpi.policies = 8;
    acpi.governors = {"conservative", "ondemand", "userspace", "powersave", "performance", "schedutil"};
    acpi.governor = "schedutil";
    acpi.epp = false;
    add_cpufreq(*laptop.tree, acpi);
    add_cpus(*laptop.tree, 8, false, {});
    add_block_device(*laptop.tree, {"nvme0n1", false, "[none] mq-deadline", "128", "1023", {}, {}});
    add_thp(*laptop.tree);
    add_hugepages(*laptop.tree, {2048, 1048576}, 1);
    add_meminfo(*laptop.tree, 16ull << 20, 9ull << 20);
    add_swaps(*laptop.tree);
    hosts.push_back(std::move(laptop));
  }
  {
    FixtureHost mac{"apple silicon mac", facts_of("macos", "none", 12, 12, 1, 64), std::make_unique<TempTree>()};
    mac.facts.arch = "arm64";
    mac.facts.cpu.vendor = "Apple";
    mac.tree->mkdir("/etc");
    hosts.push_back(std::move(mac));
  }
  return hosts;
}

}  // namespace tune::testing
