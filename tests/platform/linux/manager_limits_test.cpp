#include "platform/linux/manager_limits.h"

#include "limits_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using testing::TempTree;

const LimitInfo& info(const std::string& name) { return *find_limit(name); }

class ManagerLimitsTest : public ::testing::Test {
 protected:
  // limit name -> "SOFT:HARD" in pam's units, and where it came from.
  std::pair<std::string, std::string> get(const std::string& limit, bool with_pid1 = true) {
    LocalSystem system(tree.root());
    auto config = manager_config(system);
    EXPECT_TRUE(config) << config.error().message;
    auto limits = manager_limits(*config, with_pid1 ? limits_testing::kPid1Limits : "", 1048576);
    const ManagerLimit& found = limits.at(limit);
    return {pair_text(info(limit), found.value), found.from};
  }

  TempTree tree;
};

TEST_F(ManagerLimitsTest, NofileDefaultsToSystemdsBuiltInSoftAndHard) {
  EXPECT_EQ(get("nofile"), std::make_pair(std::string("1024:524288"), std::string(kBuiltinDefault)));
  // Where fs.nr_open is lower, the hard limit is capped at it.
  ConfigSet empty;
  auto capped = manager_limits(empty, "", 65536);
  EXPECT_EQ(pair_text(info("nofile"), capped.at("nofile").value), "1024:65536");
}

TEST_F(ManagerLimitsTest, OtherLimitsAreInheritedFromPid1InPamUnits) {
  EXPECT_EQ(get("memlock"), std::make_pair(std::string("8192:8192"), std::string(kPid1Limits)));
  EXPECT_EQ(get("stack").first, "8192:unlimited");
  EXPECT_EQ(get("core").first, "0:unlimited");
  EXPECT_EQ(get("nproc").first, "63476:63476");
  EXPECT_EQ(get("msgqueue").first, "819200:819200");
  EXPECT_EQ(get("cpu").first, "unlimited:unlimited");
  EXPECT_EQ(get("nice").first, "19:19");  // a raw 0 lowers nothing
}

TEST_F(ManagerLimitsTest, WithoutPid1LimitsTheyAreUnknown) {
  EXPECT_EQ(get("memlock", false), std::make_pair(std::string("-:-"), std::string()));
  EXPECT_EQ(get("nofile", false).first, "1024:524288");
}

TEST_F(ManagerLimitsTest, DropInsOverrideTheMainFileInNameOrder) {
  tree.write("/etc/systemd/system.conf", "[Manager]\n#DefaultLimitNOFILE=1024:524288\nDefaultLimitNOFILE=2048\n");
  EXPECT_EQ(get("nofile"), std::make_pair(std::string("2048:2048"), std::string("/etc/systemd/system.conf:3")));
  tree.write("/usr/lib/systemd/system.conf.d/20-vendor.conf", "[Manager]\nDefaultLimitNOFILE=4096:8192\n");
  tree.write("/run/systemd/system.conf.d/10-early.conf", "[Manager]\nDefaultLimitNOFILE=3000\n");
  EXPECT_EQ(get("nofile"), std::make_pair(std::string("4096:8192"),
                                          std::string("/usr/lib/systemd/system.conf.d/20-vendor.conf:2")));
}

TEST_F(ManagerLimitsTest, ASameNamedDropInInEtcShadowsRunAndUsrLib) {
  tree.write("/usr/lib/systemd/system.conf.d/50-x.conf", "[Manager]\nDefaultLimitNOFILE=1000\n");
  tree.write("/usr/local/lib/systemd/system.conf.d/50-x.conf", "[Manager]\nDefaultLimitNOFILE=1500\n");
  EXPECT_EQ(get("nofile").first, "1500:1500");
  tree.write("/run/systemd/system.conf.d/50-x.conf", "[Manager]\nDefaultLimitNOFILE=2000\n");
  EXPECT_EQ(get("nofile").first, "2000:2000");
  tree.write("/etc/systemd/system.conf.d/50-x.conf", "[Manager]\nDefaultLimitNPROC=77\n");
  // The /etc file hides the others entirely: NOFILE falls back to the default.
  EXPECT_EQ(get("nofile").first, "1024:524288");
  EXPECT_EQ(get("nproc").first, "77:77");
}

TEST_F(ManagerLimitsTest, ConvertsSystemdUnitsToPams) {
  tree.write("/etc/systemd/system.conf",
             "[Manager]\n"
             "DefaultLimitMEMLOCK=64M:1G\n"
             "DefaultLimitSTACK=8388608\n"
             "DefaultLimitCORE=infinity\n"
             "DefaultLimitCPU=5min:1h\n"
             "DefaultLimitNICE=-10\n"
             "DefaultLimitRTPRIO=50:99\n"
             "DefaultLimitMSGQUEUE=1K\n");
  EXPECT_EQ(get("memlock").first, "65536:1048576");
  EXPECT_EQ(get("stack").first, "8192:8192");
  EXPECT_EQ(get("core").first, "unlimited:unlimited");
  EXPECT_EQ(get("cpu").first, "5:60");
  EXPECT_EQ(get("nice").first, "-10:-10");
  EXPECT_EQ(get("rtprio").first, "50:99");
  EXPECT_EQ(get("msgqueue").first, "1024:1024");
  tree.write("/etc/systemd/system.conf", "[Manager]\nDefaultLimitCPU=300\nDefaultLimitNICE=30\n");
  EXPECT_EQ(get("cpu").first, "5:5");
  EXPECT_EQ(get("nice").first, "-10:-10");  // raw 30 is nice -10
}

TEST_F(ManagerLimitsTest, IgnoresWhatSystemdIgnores) {
  tree.write("/etc/systemd/system.conf",
             "[Manager]\n"
             "DefaultLimitNOFILE=4096\n"
             "DefaultLimitNOFILE=lots\n"          // unparseable: the earlier value stays
             "DefaultLimitNPROC=100:50\n"         // soft above hard: refused
             "[Other]\n"
             "DefaultLimitLOCKS=5\n"              // not the [Manager] section
             "[Manager]\n"
             "DefaultLimitMEMLOCK=1M\n"
             "DefaultLimitMEMLOCK=\n");           // empty: back to the default
  EXPECT_EQ(get("nofile").first, "4096:4096");
  EXPECT_EQ(get("nproc").first, "63476:63476");
  EXPECT_EQ(get("locks").first, "unlimited:unlimited");
  EXPECT_EQ(get("memlock").second, kPid1Limits);
}

TEST(LimitTable, WritesValuesInSystemdsUnits) {
  EXPECT_EQ(systemd_text(info("memlock"), *parse_pam_text(info("memlock"), "64")), "64K");
  EXPECT_EQ(systemd_text(info("memlock"), Rlim::unlimited()), "infinity");
  EXPECT_EQ(systemd_text(info("cpu"), *parse_pam_text(info("cpu"), "5")), "300");
  EXPECT_EQ(systemd_text(info("nice"), *parse_pam_text(info("nice"), "-10")), "-10");
  EXPECT_EQ(systemd_text(info("nice"), *parse_pam_text(info("nice"), "0")), "+0");
  EXPECT_EQ(systemd_text(info("nofile"), *parse_pam_text(info("nofile"), "65535")), "65535");
  EXPECT_EQ(systemd_text(info("msgqueue"), *parse_pam_text(info("msgqueue"), "819200")), "819200");
  // Written and read back, each is the value it was.
  for (const auto& limit : limit_table()) {
    if (limit.directive.empty()) continue;
    for (const char* text : {"1", "19", "64", "unlimited"}) {
      auto value = parse_pam_text(limit, text);
      ASSERT_TRUE(value) << limit.name << " " << text;
      EXPECT_EQ(parse_systemd_value(limit, systemd_text(limit, *value)), value) << limit.name << " " << text;
    }
  }
}

TEST(LimitTable, KnowsEveryProfileLimitAndOnlySystemdsDirectives) {
  for (const char* name : {"nofile", "nproc", "memlock", "stack", "core", "as", "fsize", "data", "cpu", "rtprio",
                           "nice", "msgqueue", "sigpending", "locks", "maxlogins"}) {
    EXPECT_NE(find_limit(name), nullptr) << name;
  }
  EXPECT_EQ(find_limit("rss"), nullptr);
  EXPECT_EQ(find_directive("NOFILE")->name, "nofile");
  EXPECT_EQ(find_directive("RTTIME"), nullptr);
  EXPECT_EQ(find_directive(""), nullptr);
  EXPECT_TRUE(find_limit("maxlogins")->directive.empty());
}

}  // namespace
}  // namespace tune::linux_platform
