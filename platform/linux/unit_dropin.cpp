#include "platform/linux/unit_dropin.h"

#include "core/file_knob.h"
#include "platform/linux/unit_files.h"

namespace tune::linux_platform {

std::string dropin_path(const std::string& unit) { return std::string(kUnitDir) + "/" + unit + ".d/90-tune.conf"; }

std::string directive_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

std::string environment_word(const std::string& name, const std::string& value) {
  std::string word = "\"" + name + "=";
  for (char c : value) {
    if (c == '\\' || c == '"') word += '\\';
    word += c;
    if (c == '%') word += '%';
  }
  return word + "\"";
}

std::string dropin_text(const std::string& profile, const std::string& unit,
                        const std::vector<std::pair<std::string, std::string>>& directives,
                        const std::vector<std::pair<std::string, std::string>>& environment) {
  std::string text = tune_file_header(profile, "settings of " + unit);
  text += "[Service]\n";
  for (const auto& [key, value] : directives) {
    if (key == "CPUAffinity") text += key + "=\n";  // masks from earlier files would merge with this one
    text += key + "=" + directive_value(value) + "\n";
  }
  for (const auto& [name, value] : environment) text += "Environment=" + environment_word(name, value) + "\n";
  return text;
}

}  // namespace tune::linux_platform
