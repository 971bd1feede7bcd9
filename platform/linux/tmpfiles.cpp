#include "platform/linux/tmpfiles.h"

#include "core/file_knob.h"

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
  std::string text = tune_file_header(profile, what + ", set again at every boot");
  for (const auto& write : writes) text += "w " + write.path + " - - - - " + escape_specifiers(write.value) + "\n";
  return text;
}

}  // namespace tune::linux_platform
