// Plan-time functions: each of TuneD's built-ins as tune evaluates them, the
// nesting and argument rules of ${f:...}, and the parse-time check.
#include "core/profile_functions.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

// The value of one call, or "error: ..." so a failure shows what went wrong.
std::string call(const std::string& name, const std::vector<std::string>& args, const FactMap& facts = {}) {
  auto result = call_plan_time_function(name, args, facts);
  return result ? *result : "error: " + result.error().message;
}

std::string evaluate(const std::string& value, const FactMap& facts = {}) {
  auto result = evaluate_plan_time(value, facts);
  return result ? *result : "error: " + result.error().message;
}

bool failed(const std::string& outcome) { return outcome.rfind("error: ", 0) == 0; }

const FactMap kFourCpus = {{"cpu.online", "0-3"}, {"cpu.present", "0-3"}};

TEST(Cpulists, KernelFormParsesAndPacks) {
  EXPECT_EQ(parse_kernel_cpulist("0-3,8-11\n"), (std::vector<int>{0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_EQ(parse_kernel_cpulist(""), std::vector<int>{});
  EXPECT_FALSE(parse_kernel_cpulist("3-1"));
  EXPECT_FALSE(parse_kernel_cpulist("0,0"));
  EXPECT_FALSE(parse_kernel_cpulist("0-99999"));
  EXPECT_EQ(pack_cpulist({0, 1, 2, 3, 8, 9, 10, 11}), "0-3,8-11");
  EXPECT_EQ(pack_cpulist({}), "");
  EXPECT_EQ(pack_cpulist({5}), "5");
}

TEST(CpulistUnpack, RangesListsAndTheEmptyList) {
  EXPECT_EQ(call("cpulist_unpack", {"0-3,8-11"}), "0,1,2,3,8,9,10,11");
  EXPECT_EQ(call("cpulist_unpack", {"0-2", "5"}), "0,1,2,5");  // arguments join with ",,"
  EXPECT_EQ(call("cpulist_unpack", {""}), "");
  EXPECT_EQ(call("cpulist_unpack", {}), "");
  EXPECT_EQ(call("cpulist_unpack", {"3,1,3,2"}), "1,2,3");
  EXPECT_EQ(call("cpulist_unpack", {"5-3"}), "");  // Python's range(5, 4) is empty
  EXPECT_EQ(call("cpulist_unpack", {"'1-2'"}), "1,2");
  EXPECT_EQ(call("cpulist_unpack", {" 1 , 2"}), "1,2");
}

TEST(CpulistUnpack, HexMasksNegationAndBadInput) {
  EXPECT_EQ(call("cpulist_unpack", {"0xf"}), "0,1,2,3");
  // A mask's words are joined up to an empty item, as the kernel writes masks past 32 CPUs.
  EXPECT_EQ(call("cpulist_unpack", {"0x00000001,00000001,,4"}), "0,4,32");
  EXPECT_EQ(call("cpulist_unpack", {"0x3", "8"}), "0,1,8");
  EXPECT_EQ(call("cpulist_unpack", {"0-5,^3"}), "0,1,2,4,5");
  EXPECT_EQ(call("cpulist_unpack", {"0-7,!2-3"}), "0,1,4,5,6,7");
  EXPECT_TRUE(failed(call("cpulist_unpack", {"a"})));
  EXPECT_TRUE(failed(call("cpulist_unpack", {"1-x"})));
  EXPECT_TRUE(failed(call("cpulist_unpack", {"0x"})));
  EXPECT_TRUE(failed(call("cpulist_unpack", {"^z"})));
  EXPECT_NE(call("cpulist_unpack", {"0-4000000000"}).find("highest CPU number"), std::string::npos);
}

TEST(CpulistPack, PacksRuns) {
  EXPECT_EQ(call("cpulist_pack", {"1,2,3,5"}), "1-3,5");
  EXPECT_EQ(call("cpulist_pack", {"0,2"}), "0,2");
  EXPECT_EQ(call("cpulist_pack", {"0-3", "4-7"}), "0-7");
  EXPECT_EQ(call("cpulist_pack", {""}), "");
}

TEST(CpulistInvert, AgainstTheOnlineCpus) {
  EXPECT_EQ(call("cpulist_invert", {"0,2,3"}, kFourCpus), "1");
  EXPECT_EQ(call("cpulist_invert", {""}, kFourCpus), "0,1,2,3");
  EXPECT_EQ(call("cpulist_invert", {"0"}, {{"cpu.online", "0"}}), "");
  std::string expected;
  for (int cpu = 4; cpu < 256; ++cpu) {
    if (cpu != 128) expected += (expected.empty() ? "" : ",") + std::to_string(cpu);
  }
  EXPECT_EQ(call("cpulist_invert", {"0-3,128"}, {{"cpu.online", "0-255"}}), expected);
  EXPECT_NE(call("cpulist_invert", {"1"}).find("needs the fact cpu.online"), std::string::npos);
}

TEST(CpulistOnlineAndPresent, KeepOnlyThoseCpus) {
  EXPECT_EQ(call("cpulist_online", {"2-5"}, kFourCpus), "2,3");
  EXPECT_EQ(call("cpulist_online", {"6"}, kFourCpus), "");
  EXPECT_EQ(call("cpulist_present", {"6-9"}, {{"cpu.present", "0-7"}}), "6,7");
  EXPECT_TRUE(failed(call("cpulist_present", {"1"}, {{"cpu.present", "garbage"}})));
}

TEST(Cpulist2Hex, WordsOf32BitsJoinedByCommas) {
  EXPECT_EQ(call("cpulist2hex", {"0-3"}), "0000000f");
  EXPECT_EQ(call("cpulist2hex", {"1-2"}), "00000006");
  EXPECT_EQ(call("cpulist2hex", {""}), "00000000");
  EXPECT_EQ(call("cpulist2hex", {"0,32"}), "00000001,00000001");
  EXPECT_EQ(call("cpulist2hex", {"0-63"}), "ffffffff,ffffffff");
  EXPECT_EQ(call("cpulist2hex", {"255"}), "80000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000");
  EXPECT_EQ(call("cpulist2hex_invert", {"0-3"}, {{"cpu.online", "0-7"}}), "000000f0");
  EXPECT_EQ(call("cpulist2hex_invert", {"0"}, {{"cpu.online", "0"}}), "00000000");
}

TEST(Hex2Cpulist, ReadsMasksWithOrWithoutCommas) {
  EXPECT_EQ(call("hex2cpulist", {"f0"}), "4,5,6,7");
  EXPECT_EQ(call("hex2cpulist", {"00000001,00000001"}), "0,32");
  EXPECT_EQ(call("hex2cpulist", {"0x3"}), "0,1");
  EXPECT_EQ(call("hex2cpulist", {"0"}), "");
  EXPECT_TRUE(failed(call("hex2cpulist", {"zz"})));
  EXPECT_TRUE(failed(call("hex2cpulist", {"1", "2"})));
}

TEST(Cpulist2Devs, NamesCpuDevices) {
  EXPECT_EQ(call("cpulist2devs", {"0-2"}), "cpu0,cpu1,cpu2");
  EXPECT_EQ(call("cpulist2devs", {"1", "3"}), "cpu1,cpu3");
}

TEST(CalcIsolatedCores, ReservesPerPackage) {
  const FactMap two_packages = {{"cpu.package.0.cpus", "0-3"}, {"cpu.package.1.cpus", "4-7"}};
  EXPECT_EQ(call("calc_isolated_cores", {}, two_packages), "1,2,3,5,6,7");
  EXPECT_EQ(call("calc_isolated_cores", {"2"}, two_packages), "2,3,6,7");
  EXPECT_EQ(call("calc_isolated_cores", {"0"}, two_packages), "0,1,2,3,4,5,6,7");
  EXPECT_EQ(call("calc_isolated_cores", {"10"}, two_packages), "");
  const FactMap interleaved = {{"cpu.package.0.cpus", "0,2,4,6"}, {"cpu.package.1.cpus", "1,3,5,7"}};
  EXPECT_EQ(call("calc_isolated_cores", {}, interleaved), "2,3,4,5,6,7");
  EXPECT_TRUE(failed(call("calc_isolated_cores", {"-1"}, two_packages)));
  EXPECT_TRUE(failed(call("calc_isolated_cores", {"x"}, two_packages)));
  EXPECT_NE(call("calc_isolated_cores", {}).find("cpu.package.N.cpus"), std::string::npos);
}

TEST(CheckNetQueueCount, TheCountOrTheUsableCpus) {
  EXPECT_EQ(call("check_net_queue_count", {"8"}), "8");
  EXPECT_EQ(call("check_net_queue_count", {""}, {{"cpu.allowed", "4"}}), "4");
  EXPECT_EQ(call("check_net_queue_count", {"auto"}, {{"cpu.allowed", "4"}}), "4");
  EXPECT_TRUE(failed(call("check_net_queue_count", {""})));
}

TEST(RegexSearchTernary, SearchesTheFirstArgument) {
  EXPECT_EQ(call("regex_search_ternary", {"abc", "b", "yes", "no"}), "yes");
  EXPECT_EQ(call("regex_search_ternary", {"abc", "^b", "yes", "no"}), "no");
  // cpu-partitioning's isolcpus: only when no_balance_cores names a CPU.
  EXPECT_EQ(call("regex_search_ternary", {"2-3", "\\s*[0-9]", " isolcpus=2-3", ""}), " isolcpus=2-3");
  EXPECT_EQ(call("regex_search_ternary", {"", "\\s*[0-9]", " isolcpus=", ""}), "");
  EXPECT_NE(call("regex_search_ternary", {"a", "(", "y", "n"}).find("not a regular expression std::regex reads"), std::string::npos);
}

TEST(Assertions, FailWithTheirMessage) {
  EXPECT_EQ(call("assertion", {"same", "a", "a"}), "");
  EXPECT_EQ(call("assertion", {"isolated_cores contains online CPU(s)", "1,2", "1"}),
            "error: ${f:assertion}: assertion 'isolated_cores contains online CPU(s)' failed: '1,2' != '1'");
  EXPECT_EQ(call("assertion_non_equal", {"differ", "a", "b"}), "");
  EXPECT_NE(call("assertion_non_equal", {"isolated_cores are set", "x", "x"}).find("failed: 'x' == 'x'"), std::string::npos);
  EXPECT_NE(call("assertion", {"a", "b"}).find("takes 3 argument(s), not 2"), std::string::npos);
}

TEST(SmallFunctions, StripVirtCheckAndSectors) {
  EXPECT_EQ(call("strip", {"  a", "b \t"}), "ab");
  EXPECT_TRUE(failed(call("strip", {})));
  EXPECT_EQ(call("virt_check", {"vm", "metal"}, {{"virtualization", "kvm"}}), "vm");
  EXPECT_EQ(call("virt_check", {"vm", "metal"}, {{"virtualization", "none"}}), "metal");
  EXPECT_EQ(call("virt_check", {"vm", "metal"}, {}), "metal");  // TuneD: the second on any error
  EXPECT_EQ(call("virt_check", {"vm", "metal"}, {{"virtualization", "none"}, {"container", "docker"}}), "vm");
  EXPECT_EQ(call("kb2s", {"4"}), "8");
  EXPECT_EQ(call("s2kb", {"8"}), "4");
  EXPECT_EQ(call("s2kb", {"5"}), "2");  // Python rounds 2.5 to the even 2
  EXPECT_EQ(call("s2kb", {"7"}), "4");  // and 3.5 to 4
  EXPECT_EQ(call("s2kb", {"-7"}), "-4");
  EXPECT_EQ(call("s2kb", {"-5"}), "-2");
  EXPECT_TRUE(failed(call("kb2s", {"4k"})));
}

TEST(CpuinfoCheck, FirstMatchingRegexElseTheFallback) {
  const FactMap facts = {{"cpuinfo", "processor\t: 0\nflags\t\t: fpu avx512f\n"}};
  EXPECT_EQ(call("cpuinfo_check", {"avx512", "wide", "small"}, facts), "wide");
  EXPECT_EQ(call("cpuinfo_check", {"^flags.*sse9", "x", "fallback"}, facts), "fallback");
  EXPECT_EQ(call("cpuinfo_check", {"sse9", "x"}, facts), "");
  EXPECT_EQ(call("cpuinfo_check", {"^processor", "line start"}, facts), "line start");
  EXPECT_TRUE(failed(call("cpuinfo_check", {"x", "y"})));
}

TEST(Functions, ExecAndUnknownNamesAreRefused) {
  EXPECT_NE(call("exec", {"ls"}).find("tune never runs programs while planning"), std::string::npos);
  EXPECT_NE(call("cpulist_unpak", {"1"}).find("did you mean 'cpulist_unpack'"), std::string::npos);
  EXPECT_FALSE(is_plan_time_function("exec"));
  EXPECT_TRUE(is_plan_time_function("cpulist2hex_invert"));
}

TEST(EvaluatePlanTime, NestedCallsRunInsideOut) {
  const FactMap facts = {{"cpu.online", "0-7"}};
  EXPECT_EQ(evaluate("${f:cpulist_pack:${f:cpulist_invert:0-1}}", facts), "2-7");
  EXPECT_EQ(evaluate("cpus=${f:cpulist_pack:${f:cpulist_invert:${facts.cpu.online}}}!", facts), "cpus=!");
  EXPECT_EQ(evaluate("${f:cpulist2hex:${f:cpulist_unpack:0-3}}"), "0000000f");
  EXPECT_EQ(evaluate("${f:strip:a\\:b}"), "a:b");
  EXPECT_EQ(evaluate("plain"), "plain");
  EXPECT_EQ(evaluate("${other} stays"), "${other} stays");
  EXPECT_EQ(evaluate("${f:assertion:m:1:1}${facts.cpu.online}", facts), "0-7");
}

TEST(EvaluatePlanTime, FailuresNameTheCause) {
  EXPECT_EQ(evaluate("${f:strip:x"), "error: '${f:strip:x' has an unclosed ${f:");
  EXPECT_EQ(evaluate("${facts.cpu.online"), "error: '${facts.cpu.online' has an unclosed ${facts.");
  EXPECT_EQ(evaluate("${facts.cpu.online}"), "error: needs the fact cpu.online, which is unknown on this host");
  EXPECT_NE(evaluate("${f:assertion:set:${facts.a}:${facts.b}}", {{"a", "1"}, {"b", "2"}}).find("assertion 'set' failed"),
            std::string::npos);
  // A result that would grow past 64 KiB is refused, not built.
  EXPECT_TRUE(failed(evaluate("${f:cpulist_unpack:0-8191}${f:cpulist_unpack:0-8191}")));
}

TEST(FunctionCallError, NamesAndCountsAreCheckedBeforePlanning) {
  EXPECT_EQ(function_call_error("${f:cpulist_invert:${isolated_cores}}"), std::nullopt);
  EXPECT_EQ(function_call_error("no calls ${facts.cpu.online}"), std::nullopt);
  EXPECT_NE(function_call_error("${f:nope:1}").value_or("").find("unknown function 'nope'"), std::string::npos);
  EXPECT_NE(function_call_error("${f:exec:mktemp:-d}").value_or("").find("never runs programs"), std::string::npos);
  EXPECT_NE(function_call_error("${f:strip:${f:exec:ls}}").value_or("").find("never runs programs"), std::string::npos);
  EXPECT_NE(function_call_error("${f:assertion:a:b}").value_or("").find("takes 3 argument(s), not 2"), std::string::npos);
  // Arguments that come from variables are counted once they are known.
  EXPECT_EQ(function_call_error("${f:assertion:a:${x}}"), std::nullopt);
  EXPECT_NE(function_call_error("${f:strip:x").value_or("").find("unclosed"), std::string::npos);
}

}  // namespace
}  // namespace tune
