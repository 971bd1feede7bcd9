// CPU vendor, model and ISA flags from /proc/cpuinfo; also os_probe's arch.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

const char* kX86 =
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\nphysical id\t: 0\n"
    "core id\t\t: 0\nflags\t\t: fpu sse lm avx avx2 fma avx512f avx512_bf16 amx_tile hypervisor\n\n"
    "processor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\nphysical id\t: 0\n"
    "core id\t\t: 0\nflags\t\t: fpu sse lm avx avx2 fma avx512f avx512_bf16 amx_tile hypervisor\n\n"
    "processor\t: 2\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\nphysical id\t: 1\n"
    "core id\t\t: 0\nflags\t\t: fpu sse lm avx avx2 fma avx512f avx512_bf16 amx_tile hypervisor\n\n";

const char* kArm =
    "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes asimddp sve i8mm bf16\n"
    "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd40\nCPU revision\t: 1\n\n"
    "processor\t: 1\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes asimddp sve i8mm bf16\n"
    "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd40\nCPU revision\t: 1\n\n";

TEST(CpuProbe, ReadsAnX86Cpu) {
  ProbeHarness h;
  h.tree.write("/proc/cpuinfo", kX86);
  detect::probe_cpuinfo(h.probe);
  const CpuFacts& cpu = h.facts.cpu;
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_EQ(cpu.logical, 3);
  EXPECT_EQ(cpu.cores, 2) << "(package, core id) pairs";
  EXPECT_EQ(cpu.packages, 2);
  EXPECT_TRUE(cpu.flags_known);
  EXPECT_EQ(cpu.flags, (std::vector<std::string>{"amx_tile", "avx", "avx2", "avx512_bf16", "avx512f", "fma", "hypervisor"}));
  EXPECT_TRUE(h.facts.warnings.empty());
}

TEST(CpuProbe, ReadsAnArmCpuByItsImplementerAndPart) {
  ProbeHarness h;
  h.tree.write("/proc/cpuinfo", kArm);
  detect::probe_cpuinfo(h.probe);
  EXPECT_EQ(h.facts.cpu.vendor, "ARM");
  EXPECT_EQ(h.facts.cpu.model, "Neoverse-V1");
  EXPECT_EQ(h.facts.cpu.logical, 2);
  EXPECT_FALSE(h.facts.cpu.cores) << "arm64 cpuinfo has no core ids";
  for (const char* flag : {"neon", "asimd", "asimddp", "sve", "i8mm", "bf16"}) {
    EXPECT_NE(std::find(h.facts.cpu.flags.begin(), h.facts.cpu.flags.end(), flag), h.facts.cpu.flags.end()) << flag;
  }
}

TEST(CpuProbe, AnUnknownImplementerIsNamedByItsCode) {
  ProbeHarness h;
  h.tree.write("/proc/cpuinfo", "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x99\nCPU part\t: 0x001\n");
  detect::probe_cpuinfo(h.probe);
  EXPECT_EQ(h.facts.cpu.vendor, "arm-implementer-0x99");
  EXPECT_EQ(h.facts.cpu.model, "arm-implementer-0x99 part 0x001");
}

TEST(CpuProbe, NoCpuinfoLeavesEverythingUnknown) {
  ProbeHarness h;
  detect::probe_cpuinfo(h.probe);
  EXPECT_TRUE(h.facts.cpu.vendor.empty());
  EXPECT_FALSE(h.facts.cpu.logical);
  EXPECT_FALSE(h.facts.cpu.flags_known);
  EXPECT_TRUE(h.facts.warnings.empty());
}

TEST(CpuProbe, GarbageWarnsAndStaysUnknown) {
  ProbeHarness h;
  h.tree.write("/proc/cpuinfo", "\x7f" "ELF\x02\x01\x01 not a cpuinfo at all: : :\n");
  detect::probe_cpuinfo(h.probe);
  EXPECT_FALSE(h.facts.cpu.logical);
  EXPECT_FALSE(h.facts.cpu.flags_known);
  EXPECT_TRUE(h.warned("/proc/cpuinfo: expected 'processor' lines"));
}

TEST(CpuProbe, ATruncatedCpuinfoKeepsWhatItHas) {
  ProbeHarness h;
  std::string text = kX86;
  h.tree.write("/proc/cpuinfo", text.substr(0, text.find("flags")));  // cut before the first flags line
  detect::probe_cpuinfo(h.probe);
  EXPECT_EQ(h.facts.cpu.vendor, "GenuineIntel");
  EXPECT_EQ(h.facts.cpu.logical, 1);
  EXPECT_FALSE(h.facts.cpu.flags_known) << "no flags line read: flags are unknown, not empty";
}

TEST(CpuProbe, AMalformedImplementerWarns) {
  ProbeHarness h;
  h.tree.write("/proc/cpuinfo", "processor\t: 0\nFeatures\t: fp\nCPU implementer\t: ARM!\n");
  detect::probe_cpuinfo(h.probe);
  EXPECT_TRUE(h.facts.cpu.vendor.empty());
  EXPECT_TRUE(h.warned("a hexadecimal CPU implementer"));
}

TEST(OsProbe, ReadsOsReleaseKernelTypeAndArch) {
  ProbeHarness h;
  h.tree.write("/etc/os-release", "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nID=ubuntu\nVERSION_ID=\"24.04\"\n");
  h.tree.write("/proc/sys/kernel/ostype", "Linux\n");
  h.tree.write("/proc/sys/kernel/arch", "aarch64\n");
  detect::probe_os(h.probe);
  EXPECT_EQ(h.facts.os, "linux");
  EXPECT_EQ(h.facts.os_id, "ubuntu");
  EXPECT_EQ(h.facts.os_version, "24.04");
  EXPECT_EQ(h.facts.os_name, "Ubuntu 24.04.1 LTS");
  EXPECT_EQ(h.facts.arch, "aarch64");
}

TEST(OsProbe, ArchFallsBackToCpuinfoOnOlderKernels) {
  ProbeHarness h;
  h.tree.write("/proc/cpuinfo", kX86);
  detect::probe_os(h.probe);
  EXPECT_EQ(h.facts.arch, "x86_64");
  EXPECT_EQ(h.facts.evidence.at("arch"), "from /proc/cpuinfo (this kernel has no kernel.arch)");
  ProbeHarness arm;
  arm.tree.write("/proc/cpuinfo", kArm);
  detect::probe_os(arm.probe);
  EXPECT_EQ(arm.facts.arch, "aarch64");
}

TEST(OsProbe, AnOsReleaseWithoutIdWarns) {
  ProbeHarness h;
  h.tree.write("/etc/os-release", "garbage\n");
  detect::probe_os(h.probe);
  EXPECT_TRUE(h.facts.os_id.empty());
  EXPECT_TRUE(h.warned("/etc/os-release: expected an ID= line"));
  EXPECT_TRUE(h.facts.os.empty()) << "no /proc/sys/kernel/ostype: the OS is unknown";
}

}  // namespace
}  // namespace tune::testing
