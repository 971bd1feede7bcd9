#include "support/corpora.h"

#include "support/temp_tree.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace tune::testing {

namespace fs = std::filesystem;

std::string seeds_dir() {
  if (const char* dir = std::getenv("TUNE_SEEDS_DIR"); dir && *dir) return dir;
  return source_dir() + "/tests/fixtures/seeds";
}

std::string tuned_profiles_dir() {
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("TUNE_TUNED_DIR"); dir && *dir) candidates.push_back(dir);
  candidates.push_back(source_dir() + "/.deps/tuned/usr/lib/tuned");
  candidates.push_back("/usr/lib/tuned");
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(candidate + "/throughput-performance/tuned.conf", ec)) return candidate;
  }
  return "";
}

}  // namespace tune::testing
