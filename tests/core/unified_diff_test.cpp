#include "core/unified_diff.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

TEST(UnifiedDiff, EqualTextsHaveNoDiff) { EXPECT_EQ(unified_diff("a\n", "a\n", "x", "x"), ""); }

TEST(UnifiedDiff, NewFileIsAllAdditionsFromDevNull) {
  EXPECT_EQ(unified_diff(std::nullopt, "a\nb\n", "f", "f"),
            "--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n");
}

TEST(UnifiedDiff, RemovedFileIsAllDeletionsToDevNull) {
  EXPECT_EQ(unified_diff("a\n", std::nullopt, "f", "f"), "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n");
}

TEST(UnifiedDiff, OneChangedLineKeepsThreeLinesOfContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(unified_diff(before, after, "a", "b"),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, DistantChangesMakeSeparateHunks) {
  std::string before;
  for (int i = 1; i <= 20; ++i) before += std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("2\n"), 2, "two\n");
  after.replace(after.find("\n19\n") + 1, 3, "nineteen\n");
  std::string diff = unified_diff(before, after, "a", "b");
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -16,5 +16,5 @@"), std::string::npos) << diff;
}

TEST(UnifiedDiff, OutputAppliesWithPatch) {
  // The diff must be a real patch: hand it to patch(1) when it is installed.
  if (std::system("command -v patch >/dev/null 2>&1") != 0) GTEST_SKIP() << "patch(1) is not installed";
  std::string before = "a\nb\nc\nd\ne\nf\ng\nh\n";
  std::string after = "a\nB\nc\nd\ne\nf\ng\nh\ni\n";
  std::string dir = ::testing::TempDir();
  std::string file = dir + "/tune_patch_target";
  std::string patch_file = dir + "/tune_patch.diff";
  FILE* f = std::fopen(file.c_str(), "w");
  std::fputs(before.c_str(), f);
  std::fclose(f);
  f = std::fopen(patch_file.c_str(), "w");
  std::fputs(unified_diff(before, after, file, file).c_str(), f);
  std::fclose(f);
  ASSERT_EQ(std::system(("patch -s " + file + " < " + patch_file).c_str()), 0);
  f = std::fopen(file.c_str(), "r");
  char buffer[256] = {};
  size_t n = std::fread(buffer, 1, sizeof buffer - 1, f);
  std::fclose(f);
  std::remove(file.c_str());
  std::remove(patch_file.c_str());
  EXPECT_EQ(std::string(buffer, n), after);
}

}  // namespace
}  // namespace tune
