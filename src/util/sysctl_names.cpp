#include "util/sysctl_names.h"

namespace tune {
namespace {
// The mapping is its own inverse: dots and slashes trade places.
std::string swap_separators(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += c == '.' ? '/' : c == '/' ? '.' : c;
  return out;
}
constexpr const char kProcSys[] = "/proc/sys/";
}  // namespace

std::string sysctl_path_of(const std::string& key) { return kProcSys + swap_separators(key); }

std::string sysctl_key_of(const std::string& path) { return swap_separators(path.substr(sizeof kProcSys - 1)); }

}  // namespace tune
