#include "support/kernel_model_system.h"

#include "util/text.h"

namespace tune::testing {

Status KernelModelSystem::write_attribute(const std::string& path, std::string_view data) {
  TUNE_RETURN_IF_ERROR(count("writing " + path));
  const std::string value = trim(std::string(data));
  if (auto refused = refuse_value.find(path); refused != refuse_value.end() && refused->second == value) {
    return make_error("writing {}: Invalid argument", path);
  }
  auto current = inner_.read_file(path);
  if (!current) return current.error();
  std::string chosen;
  std::vector<std::string> offered;
  if (parse_bracketed_choice(*current, chosen, offered)) {
    bool found = false;
    std::string line;
    for (const auto& word : offered) {
      found = found || word == value;
      line += (line.empty() ? "" : " ") + (word == value ? "[" + word + "]" : word);
    }
    if (!found) return make_error("writing {}: Invalid argument", path);
    // The block layer prints each scheduler followed by a space; THP's files do not.
    const bool trailing_space = current->size() >= 2 && (*current)[current->find_last_not_of('\n')] == ' ';
    return inner_.write_attribute(path, line + (trailing_space ? " \n" : "\n"));
  }
  if (starts_with(path, "/sys/block/zram") && ends_with(path, "/reset")) {
    const std::string base = path.substr(0, path.size() - 6);
    const std::string device = "/dev/" + base.substr(base.find_last_of('/') + 1);
    TUNE_RETURN_IF_ERROR(inner_.write_file(device, "", FileAttrs{inner_.stat(device).value_or_default().mode, {}, {}}));
    return inner_.write_attribute(base + "/disksize", "0\n");
  }
  if (starts_with(path, "/sys/block/zram") && ends_with(path, "/disksize") && trim(*current) != "0") {
    return make_error("writing {}: Device or resource busy", path);
  }
  if (auto limit = hugepage_limit.find(path); limit != hugepage_limit.end()) {
    auto asked = parse_integer(value);
    if (asked && *asked > limit->second) return inner_.write_attribute(path, std::to_string(limit->second) + "\n");
  }
  if (ends_with(path, "/energy_perf_bias")) {
    static const std::vector<std::pair<std::string, std::string>> kNames = {
        {"performance", "0"}, {"balance-performance", "4"}, {"normal", "6"}, {"balance-power", "8"}, {"power", "15"}};
    for (const auto& [name, number] : kNames) {
      if (value == name) return inner_.write_attribute(path, number + "\n");
    }
  }
  return inner_.write_attribute(path, value + "\n");
}

}  // namespace tune::testing
