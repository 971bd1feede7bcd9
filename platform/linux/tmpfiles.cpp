#include "platform/linux/tmpfiles.h"

namespace tune::linux_platform {
namespace {

// tmpfiles expands %-specifiers in arguments; a literal % is written %%.
std::string escape_specifiers(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

}  // namespace

std::string tmpfiles_text(const std::string& profile, const std::string& what, const std::vector<BootWrite>& writes) {
  std::string text = "# Written by tune for profile '" + profile + "': " + what + ", set again at every boot.\n";
  text += "# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n";
  for (const auto& write : writes) text += "w " + write.path + " - - - - " + escape_specifiers(write.value) + "\n";
  return text;
}

}  // namespace tune::linux_platform
