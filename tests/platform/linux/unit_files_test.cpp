#include "platform/linux/unit_files.h"

#include "platform/linux/unit_templates.h"
#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using tune::testing::TempTree;

TEST(UnitFiles, EtcBeatsTheVendorsFileAndDropInsShadowByName) {
  TempTree tree;
  tree.write("/usr/lib/systemd/system/a.service", "[Service]\nNice=1\n");
  tree.write("/etc/systemd/system/a.service", "[Service]\nNice=2\n");
  tree.write("/usr/lib/systemd/system/a.service.d/10-x.conf", "[Service]\nNice=3\n");
  tree.write("/etc/systemd/system/a.service.d/10-x.conf", "[Service]\nNice=4\n");
  tree.write("/run/systemd/system/a.service.d/20-y.conf", "[Service]\nIOWeight=5\n");
  LocalSystem system(tree.root());
  UnitFiles files = find_unit_files(system, "a.service");
  EXPECT_EQ(files.fragment, "/etc/systemd/system/a.service");
  EXPECT_EQ(files.dropins, (std::vector<std::string>{"/etc/systemd/system/a.service.d/10-x.conf",
                                                      "/run/systemd/system/a.service.d/20-y.conf"}));
  ServiceSettings settings = effective_service(system, files);
  EXPECT_EQ(settings.directives["Nice"], "4");
  EXPECT_EQ(settings.directives["IOWeight"], "5");
}

TEST(UnitFiles, AnInstanceFallsBackToItsTemplate) {
  TempTree tree;
  tree.write("/usr/lib/systemd/system/llama@.service", "[Service]\nExecStart=/bin/true\n");
  tree.write("/etc/systemd/system/llama@.service.d/90-tune.conf", "[Service]\nNice=5\n");
  LocalSystem system(tree.root());
  UnitFiles files = find_unit_files(system, "llama@gpu0.service");
  EXPECT_EQ(files.fragment, "/usr/lib/systemd/system/llama@.service");
  EXPECT_EQ(effective_service(system, files).directives["Nice"], "5");
}

TEST(UnitFiles, EmptyAssignmentsResetCpuAffinityMergesEnvironmentAccumulates) {
  TempTree tree;
  tree.write("/usr/lib/systemd/system/a.service",
             "[Service]\nLimitNOFILE=1024\nCPUAffinity=0-3\nEnvironment=A=1 \"B=two words\"\nEnvironment=C='x\\\"y'\n");
  tree.write("/etc/systemd/system/a.service.d/50.conf", "[Service]\nLimitNOFILE=\nCPUAffinity=8\nEnvironment=A=9\n");
  LocalSystem system(tree.root());
  ServiceSettings settings = effective_service(system, find_unit_files(system, "a.service"));
  EXPECT_FALSE(settings.directives.count("LimitNOFILE"));
  EXPECT_EQ(settings.directives["CPUAffinity"], "0-3 8");
  EXPECT_EQ(settings.environment["A"], "9");
  EXPECT_EQ(settings.environment["B"], "two words");
  EXPECT_EQ(settings.environment["C"], "x\"y");
}

TEST(UnitFiles, ContinuedLinesAndCommentsAreReadAsSystemdDoes) {
  auto assignments = parse_unit_text("# c\n[Service]\nExecStart=/bin/a \\\n  --b\n; d\nNice=1\n");
  ASSERT_EQ(assignments.size(), 2u);
  EXPECT_EQ(assignments[0].value, "/bin/a  --b");
  EXPECT_EQ(assignments[1].key, "Nice");
}

TEST(UnitFiles, AUnitLinkedToDevNullIsMasked) {
  TempTree tree;
  tree.mkdir("/etc/systemd/system");
  ASSERT_EQ(::symlink("/dev/null", tree.real("/etc/systemd/system/a.service").c_str()), 0);
  LocalSystem system(tree.root());
  EXPECT_TRUE(find_unit_files(system, "a.service").masked);
}

TEST(UnitTemplates, FieldsFillLinesAndAnEmptyFieldDropsItsLine) {
  auto rendered = render_unit_template("A={{threads}}\nB={{numa_mask}}\nC=plain\n", {{"threads", "4"}, {"numa_mask", ""}});
  ASSERT_TRUE(rendered);
  EXPECT_EQ(*rendered, "A=4\nC=plain\n");
  auto unknown = render_unit_template("A={{nope}}\n", {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "the template uses {{nope}}, which tune does not fill");
  EXPECT_EQ(exec_program("[Service]\nExecStart=-/usr/bin/x --y\n"), "/usr/bin/x");
}

}  // namespace
}  // namespace tune::linux_platform
