#include "util/windows_paths.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

const WindowsLocations kHost{"D:", "D:\\ProgramData"};

TEST(WindowsPaths, TunesOwnPlacesAreUnderProgramData) {
  EXPECT_EQ(windows_native_path("", "/etc/tune/tune.toml", kHost), "D:\\ProgramData\\tune\\tune.toml");
  EXPECT_EQ(windows_native_path("", "/var/lib/tune/journal/000001.jsonl", kHost),
            "D:\\ProgramData\\tune\\state\\journal\\000001.jsonl");
  EXPECT_EQ(windows_native_path("", "/run/lock/tune.lock", kHost), "D:\\ProgramData\\tune\\lock\\tune.lock");
  EXPECT_EQ(windows_native_path("", "/etc/tune", kHost), "D:\\ProgramData\\tune");
}

TEST(WindowsPaths, APlaceMatchesWholeComponentsOnly) {
  EXPECT_EQ(program_data_place("/etc/tuned/x.conf"), std::nullopt);
  EXPECT_EQ(windows_native_path("", "/etc/tuned/x.conf", kHost), "D:\\etc\\tuned\\x.conf");
}

TEST(WindowsPaths, OtherHostPathsAreOnTheSystemDrive) {
  EXPECT_EQ(windows_native_path("", "/Windows/System32", kHost), "D:\\Windows\\System32");
  EXPECT_EQ(windows_native_path("", "/", kHost), "D:\\");
}

TEST(WindowsPaths, DrivePathsAreTakenAsTheyAre) {
  EXPECT_EQ(windows_native_path("", "C:/ProgramData/tune/state/", kHost), "C:\\ProgramData\\tune\\state");
  EXPECT_EQ(windows_native_path("", "e:\\models", kHost), "e:\\models");
}

TEST(WindowsPaths, UnderARootEveryHostPathIsInsideIt) {
  EXPECT_EQ(windows_native_path("C:\\t\\tree", "/etc/tune/tune.toml", kHost), "C:\\t\\tree\\etc\\tune\\tune.toml");
  // A drive path would leave the tree.
  EXPECT_EQ(windows_native_path("C:\\t\\tree", "C:/Windows", kHost), std::nullopt);
}

TEST(WindowsPaths, RefusesWhatIsNotAHostPath) {
  for (const char* path : {"", "etc/tune", "/a/../b", "/a/./b", "C:/a/../b", "//server/share/x", "\\\\?\\C:\\x",
                           "/a/b:stream", "C:relative"}) {
    EXPECT_EQ(windows_native_path("", path, kHost), std::nullopt) << path;
  }
}

}  // namespace
}  // namespace tune
