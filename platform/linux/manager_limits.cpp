#include "platform/linux/manager_limits.h"

#include "util/text.h"

namespace tune::linux_platform {
namespace {

// Newer systemd also looks for the main file outside /etc, taking the first.
const char* const kMainFiles[] = {"/etc/systemd/system.conf", "/run/systemd/system.conf",
                                  "/usr/local/lib/systemd/system.conf", "/usr/lib/systemd/system.conf"};
const char* const kDropInDirs[] = {kManagerDropInDir, "/run/systemd/system.conf.d",
                                   "/usr/local/lib/systemd/system.conf.d", "/usr/lib/systemd/system.conf.d"};

// systemd keeps the kernel's soft 1024 (select() breaks past it) and raises
// the hard limit to 512Ki, or fs.nr_open where that is lower.
constexpr unsigned long long kNofileSoft = 1024;
constexpr unsigned long long kNofileHard = 524288;

std::optional<RlimPair> parse_directive_value(const LimitInfo& limit, const std::string& value) {
  auto colon = value.find(':');
  auto soft = parse_systemd_value(limit, value.substr(0, colon));
  if (!soft) return std::nullopt;
  if (colon == std::string::npos) return RlimPair{*soft, *soft};
  auto hard = parse_systemd_value(limit, value.substr(colon + 1));
  if (!hard) return std::nullopt;
  // systemd refuses a soft limit above the hard one, and keeps the old value.
  if (looser(*soft, *hard).value_or(false)) return std::nullopt;
  return RlimPair{*soft, *hard};
}

void apply_file(const ConfigFile& file, std::map<std::string, ManagerLimit>& set) {
  for (const auto& directive : manager_directives(file.text)) {
    if (!starts_with(directive.key, "DefaultLimit")) continue;
    const LimitInfo* limit = find_directive(directive.key.substr(12));
    if (limit == nullptr) continue;
    if (directive.value.empty()) {
      // An empty assignment resets to the default.
      set.erase(limit->name);
      continue;
    }
    // A value systemd cannot parse is logged and ignored.
    if (auto pair = parse_directive_value(*limit, directive.value)) {
      set[limit->name] = {*pair, file.path + ":" + std::to_string(directive.line)};
    }
  }
}

}  // namespace

std::vector<ManagerDirective> manager_directives(const std::string& text) {
  std::vector<ManagerDirective> directives;
  bool in_manager = false;
  int number = 0;
  for (const auto& raw : split_lines(text)) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      in_manager = line == "[Manager]";
      continue;
    }
    auto equals = line.find('=');
    if (!in_manager || equals == std::string::npos) continue;
    directives.push_back({trim(line.substr(0, equals)), trim(line.substr(equals + 1)), number});
  }
  return directives;
}

Result<ConfigSet> manager_config(const System& system) {
  ConfigSet config;
  for (const char* path : kMainFiles) {
    auto text = read_if_present(system, path);
    if (!text) return text.error();
    if (*text) {
      config.main = ConfigFile{path, std::move(**text)};
      break;
    }
  }
  auto drop_ins = read_drop_ins(system, std::vector<std::string>(std::begin(kDropInDirs), std::end(kDropInDirs)));
  if (!drop_ins) return drop_ins.error();
  config.drop_ins = std::move(*drop_ins);
  return config;
}

std::map<std::string, RlimPair> parse_proc_limits(const std::string& text) {
  std::map<std::string, RlimPair> limits;
  for (const auto& line : split_lines(text)) {
    for (const auto& limit : limit_table()) {
      if (limit.proc_label.empty() || !starts_with(line, limit.proc_label + " ")) continue;
      auto fields = split_whitespace(line.substr(limit.proc_label.size()));
      if (fields.size() < 2) continue;
      auto read = [&](const std::string& field) {
        if (field == "unlimited") return Rlim::unlimited();
        // The kernel's own units: bytes, seconds, the raw nice ceiling.
        auto number = parse_systemd_value(LimitInfo{limit.name, LimitUnit::Count, "", ""}, field);
        return number ? *number : Rlim::unknown();
      };
      limits[limit.name] = {read(fields[0]), read(fields[1])};
    }
  }
  return limits;
}

std::map<std::string, ManagerLimit> manager_limits(const ConfigSet& config, const std::string& pid1_limits,
                                                   std::optional<unsigned long long> nr_open) {
  std::map<std::string, ManagerLimit> set;
  for (const auto& file : config.in_order()) apply_file(file, set);
  const auto inherited = parse_proc_limits(pid1_limits);
  std::map<std::string, ManagerLimit> limits;
  for (const auto& limit : limit_table()) {
    if (limit.directive.empty()) continue;
    if (auto it = set.find(limit.name); it != set.end()) {
      limits[limit.name] = it->second;
    } else if (limit.name == "nofile") {
      const unsigned long long hard = nr_open && *nr_open < kNofileHard ? *nr_open : kNofileHard;
      limits[limit.name] = {{Rlim::of(kNofileSoft), Rlim::of(hard)}, kBuiltinDefault};
    } else if (auto pid1 = inherited.find(limit.name); pid1 != inherited.end()) {
      limits[limit.name] = {pid1->second, kPid1Limits};
    } else {
      limits[limit.name] = {};
    }
  }
  return limits;
}

}  // namespace tune::linux_platform
