// Mapping TuneD's device, IRQ, process, module and script plugins onto
// tune's domains (net, irq, systemd, sysfs, modules, selinux, power).
#include "import/tuned_converter.h"

#include "core/knowledge.h"
#include "core/profile_store.h"
#include "core/sysfs_paths.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace tune::import {
namespace {

// "combined 4 rx 2": name value pairs, split at white space outside ${...}.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words(1);
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) ++depth;
    if (text[i] == '}' && depth > 0) --depth;
    if (depth == 0 && std::isspace(static_cast<unsigned char>(text[i]))) {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    words.back() += text[i];
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

}  // namespace

void TunedConverter::add_schema(const std::string& what, const std::string& domain, const std::string& scope,
                                const std::string& key, const Want& want, const std::vector<Condition>& when,
                                const std::string& note) {
  if (Knowledge::builtin().find(domain, key)) add_checked(what, domain, scope, key, want, when, note);
  else add(what, domain, scope, key, want, when, note);
}

void TunedConverter::sysfs(const TunedSection& section, const TunedOption& option, const std::string& value,
                           const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  const std::string& path = option.key;
  if (!starts_with(path, "/sys/")) {
    leave_out(what, "not a path under /sys");
    return;
  }
  // /sys/module/M/parameters/P: a module parameter, which modprobe.d keeps
  // for the next load as well.
  auto parts = split(path.substr(1), '/');
  if (parts.size() == 5 && parts[1] == "module" && parts[3] == "parameters" &&
      parts[2].find_first_of("*?[") == std::string::npos && parts[4].find_first_of("*?[") == std::string::npos) {
    add_schema(what, "modules", parts[2], parts[4], {Want::Op::Exact, {value}}, when);
    return;
  }
  std::vector<std::string> captures;
  const KnowledgeEntry* entry = Knowledge::builtin().find_by_path(path, &captures);
  if (entry && entry->domain != "sysfs" && entry->domain != "sysctl" && entry->domain != "block") {
    add_checked(what, entry->domain, "", entry->key, want_of(value), when);
    return;
  }
  // A path tune's sysfs domain would refuse is left out with the parser's own reason.
  if (auto problem = sysfs_path_problem(path)) {
    leave_out(what, "not a path tune's sysfs domain takes: " + *problem);
    return;
  }
  add(what, "sysfs", "", path, {Want::Op::Exact, {value}}, when);
}

void TunedConverter::net(const TunedSection& section, const TunedOption& option, const std::string& value,
                         const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (option.key == "nf_conntrack_hashsize") {
    // TuneD writes /sys/module/nf_conntrack/parameters/hashsize.
    add_schema(what, "modules", "nf_conntrack", "hashsize", {Want::Op::Exact, {value}}, when);
    return;
  }
  static const std::map<std::string, std::string> kGroups = {
      {"features", "features"}, {"channels", "channels"}, {"coalesce", "coalesce"}, {"ring", "rings"}};
  auto group = kGroups.find(option.key);
  if (group == kGroups.end()) {
    leave_out(what, "TuneD's net option " + option.key + " is not one the converter knows");
    return;
  }
  std::vector<std::string> scopes;
  std::string devices = section.get("devices");
  if (devices.empty() || devices == "*") scopes.push_back("all");
  else {
    for (const auto& device : split(devices, ',')) {
      if (!trim(device).empty()) scopes.push_back(trim(device));
    }
  }
  auto words = words_of(value);
  if (words.empty() || words.size() % 2 != 0) {
    leave_out(what, "expected ethtool's NAME VALUE pairs (combined 4, rx-usecs 50, gro off)");
    return;
  }
  for (size_t i = 0; i + 1 < words.size(); i += 2) {
    for (const auto& scope : scopes) {
      add(what, "net", scope, group->second + "." + words[i], {Want::Op::Exact, {words[i + 1]}}, when);
    }
  }
}

void TunedConverter::irqbalance(const TunedSection& section, const TunedOption& option, const std::string& value,
                                const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (option.key != "banned_cpus") {
    leave_out(what, "TuneD's irqbalance option " + option.key + " is not one the converter knows");
    return;
  }
  add_schema(what, "irq", "", "banned_cpus", {Want::Op::Exact, {value}}, when,
             "TuneD writes IRQBALANCE_BANNED_CPULIST into irqbalance's configuration and restarts it");
}

void TunedConverter::systemd(const TunedSection& section, const TunedOption& option, const std::string& value,
                             const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (option.key != "cpu_affinity") {
    leave_out(what, "TuneD's systemd option " + option.key + " is not one the converter knows");
    return;
  }
  add_schema(what, "systemd", "", "CPUAffinity", {Want::Op::Exact, {value}}, when,
             "systemd's manager reads it at boot, as with TuneD");
}

void TunedConverter::selinux(const TunedSection& section, const TunedOption& option, const std::string& value,
                             const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (option.key != "avc_cache_threshold") {
    leave_out(what, "TuneD's selinux option " + option.key + " is not one the converter knows");
    return;
  }
  add_schema(what, "selinux", "", "avc_cache_threshold", {Want::Op::Exact, {value}}, when);
}

// scsi_host, audio, video and usb: power settings of devices.
void TunedConverter::power(const TunedSection& section, const TunedOption& option, const std::string& value,
                           const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  const std::string plugin = section.plugin();
  auto boolean = [](const std::string& text) {
    return text == "1" || text == "true" || text == "True" || text == "yes" || text == "y" || text == "Y";
  };
  if (plugin == "scsi_host" && option.key == "alpm") {
    add_schema(what, "power", "", "sata_alpm", {Want::Op::Exact, {value}}, when);
  } else if (plugin == "audio" && option.key == "timeout") {
    add_schema(what, "power", "", "audio_power_save", {Want::Op::Exact, {value}}, when);
  } else if (plugin == "audio" && option.key == "reset_controller") {
    add_schema(what, "power", "", "audio_power_save_controller", {Want::Op::Exact, {boolean(value) ? "true" : "false"}}, when);
  } else if (plugin == "video" && option.key == "radeon_powersave") {
    // "dpm-balanced, auto": the first the card takes.
    Want want{Want::Op::OneOf, {}};
    for (const auto& part : split(value, ',')) {
      if (!trim(part).empty()) want.values.push_back(trim(part));
    }
    if (want.values.size() == 1) want.op = Want::Op::Exact;
    add_schema(what, "power", "", "gpu_power", want, when, "TuneD takes the first of the list the card accepts");
  } else if (plugin == "usb" && option.key == "autosuspend") {
    add_schema(what, "power", "", "usb_autosuspend", {Want::Op::Exact, {boolean(value) ? "true" : "false"}}, when);
  } else {
    leave_out(what, "TuneD's " + plugin + " option " + option.key + " is not one the converter knows");
  }
}

// [modules] NAME=[+r[,]] param=value...: modprobe.d options, and with +r the
// module removed and inserted again at once.
void TunedConverter::modules(const TunedSection& section, const TunedOption& option, const std::string& value,
                             const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  std::string rest = trim(value);
  bool reload = starts_with(rest, "+r");
  if (reload) {
    rest = trim(rest.substr(2));
    if (starts_with(rest, ",")) rest = trim(rest.substr(1));
  }
  bool any = false;
  for (const auto& word : words_of(rest)) {
    auto equals = word.find('=');
    if (equals == std::string::npos || equals == 0) {
      leave_out(what, "'" + word + "' is no param=value");
      return;
    }
    add_schema(what, "modules", option.key, word.substr(0, equals), {Want::Op::Exact, {word.substr(equals + 1)}}, when);
    any = true;
  }
  if (reload) {
    refuse(what, "+r removes " + option.key + " and loads it again (modprobe -r, modprobe) so it is loaded now" +
                     (any ? " with these parameters" : "") +
                     "; tune does not load or unload modules at run time (removing one in use fails or takes its "
                     "devices away)" + (any ? ": the parameters apply from the module's next load" : ""));
  } else if (!any) {
    refuse(what, "no parameters: TuneD writes nothing for " + option.key);
  }
}

void TunedConverter::script(const TunedSection& section, const TunedOption& option) {
  const std::string what = where(section, option);
  if (option.key != "script") {
    refuse(what, "an option of TuneD's script plugin; tune runs no scripts");
    return;
  }
  // ${i:PROFILE_DIR} is the directory of the profile the option is in.
  namespace fs = std::filesystem;
  std::string origin_profile = option.origin.substr(0, option.origin.find('/'));
  std::string dir = (fs::path(profile_.dir).parent_path() / origin_profile).string();
  std::string path = option.value;
  const std::string token = "${i:PROFILE_DIR}";
  if (auto at = path.find(token); at != std::string::npos) path.replace(at, token.size(), dir);
  std::string does;
  if (auto text = read_input_file(path)) {
    // What start() calls, one command per line.
    std::vector<std::string> commands;
    bool in_start = false;
    for (const auto& raw : split_lines(*text)) {
      std::string line = trim(raw);
      if (starts_with(line, "start()")) {
        in_start = true;
        continue;
      }
      if (!in_start) continue;
      if (line == "}") break;
      if (line.empty() || line[0] == '#' || line == "{") continue;
      auto fields = split_whitespace(line);
      std::string command = fields[0] == "[" && line.find("&&") != std::string::npos ? trim(line.substr(line.find("&&") + 2)) : line;
      command = split_whitespace(command).front();
      if (command == "return") continue;
      if (std::find(commands.begin(), commands.end(), command) == commands.end()) commands.push_back(command);
    }
    does = commands.empty() ? "; its start() does nothing" : "; its start() runs: " + join(commands, ", ");
  }
  refuse(what, "runs a shell script with root's rights when the profile is applied; tune does not run scripts" + does +
                   " (look at what each does and set what it sets in the profile where tune has a domain for it)");
}

void TunedConverter::isolated_cores(const TunedSection& section, const TunedOption& option, const std::string& value,
                                    const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  // TuneD gives every IRQ (and /proc/irq/default_smp_affinity) the CPUs that
  // are not isolated (plugin_scheduler.py, _set_all_irq_affinity).
  const std::string housekeeping = "${f:cpulist_invert:" + value + "}";
  std::string default_affinity = housekeeping;
  const std::string setting = section.get("default_irq_smp_affinity");
  if (setting == "ignore") default_affinity.clear();
  else if (!setting.empty() && setting != "calc") default_affinity = setting;
  add_schema(what, "irq", "", "affinity", {Want::Op::Exact, {housekeeping}}, when,
             "TuneD narrows each IRQ to its present CPUs that are not isolated (all non-isolated ones where none "
             "are left) and skips IRQs the kernel will not move; tune gives every IRQ it can move the non-isolated CPUs");
  if (!default_affinity.empty()) {
    add_schema(what, "irq", "", "default_affinity", {Want::Op::Exact, {default_affinity}}, when,
               "for IRQs that appear later");
  }
  if (!has_systemd_affinity_) {
    add_schema(what, "systemd", "", "CPUAffinity", {Want::Op::Exact, {housekeeping}}, when,
               "in place of TuneD moving every process off the isolated CPUs: services started after the next boot "
               "stay off them");
  }
  refuse(what + " (moving running processes)",
         "TuneD also moves every running process and thread (but those ps_blacklist names) onto the non-isolated CPUs "
         "and, while it runs, each new one; tune moves no running process: " +
             std::string(has_systemd_affinity_ ? "the profile's systemd CPUAffinity" : "systemd's CPUAffinity") +
             " keeps services off the isolated CPUs from the next boot");
}

}  // namespace tune::import
