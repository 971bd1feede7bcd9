// Mapping TuneD's plugins onto tune's domains.
#include "import/tuned_import.h"

#include "core/knowledge.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace tune::import {
namespace {

// Options every TuneD section may carry that are not settings.
const std::vector<std::string> kSectionControls = {"type", "devices", "devices_udev_regex", "enabled", "replace",
                                                   "priority", "uname_regex", "cpuinfo_regex", "virt_regex",
                                                   "system_regex", "dynamic_tuning"};
const std::vector<std::string> kArchitectures = {"aarch64", "x86_64", "ppc64le", "ppc64", "s390x", "i686", "armv7l"};

class Converter {
 public:
  Converter(const TunedProfile& profile, const std::string& name)
      : profile_(profile), writer_(name, profile.summary.empty() ? "Converted from TuneD's " + profile.name : profile.summary) {
    for (const auto& variable : profile.variables) variables_[variable.key] = variable.value;
  }

  ProfileWriter run() {
    writer_.add_header_comment("Converted by `tune import tuned` from TuneD's " + profile_.name + " profile" +
                               (profile_.includes.empty() ? "" : " (including " + join(profile_.includes, ", ") + ")") + ".");
    for (const auto& note : profile_.notes) writer_.leave_out("[main]", note);
    for (const auto& section : profile_.sections) convert_section(section);
    return std::move(writer_);
  }

 private:
  // ${name} from [variables]; ${i:...} and ${f:...} are TuneD's own and stay
  // unresolved (nullopt).
  std::optional<std::string> expand(const std::string& text, int depth = 0) const {
    if (depth > 10) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < text.size();) {
      if (text.compare(i, 3, "\\${") == 0) {
        out += "${";
        i += 3;
        continue;
      }
      if (text.compare(i, 2, "${") != 0) {
        out += text[i++];
        continue;
      }
      size_t close = text.find('}', i);
      if (close == std::string::npos) return std::nullopt;
      const std::string name = text.substr(i + 2, close - i - 2);
      auto it = variables_.find(name);
      if (it == variables_.end() || name.find(':') != std::string::npos) return std::nullopt;
      auto inner = expand(it->second, depth + 1);
      if (!inner) return std::nullopt;
      out += *inner;
      i = close + 1;
    }
    return out;
  }

  static std::string where(const TunedSection& section, const TunedOption& option) {
    return "[" + section.name + "] " + option.key + "=" + option.value + " (" + option.origin + ")";
  }

  // A section's conditions as tune's `when`, or why they cannot be.
  std::optional<std::vector<Condition>> conditions(const TunedSection& section, std::string* why) const {
    std::vector<Condition> when;
    for (const char* control : {"cpuinfo_regex", "virt_regex", "system_regex", "devices_udev_regex"}) {
      if (section.find(control)) {
        *why = std::string("it applies only where TuneD's ") + control + " matches, which tune cannot evaluate";
        return std::nullopt;
      }
    }
    if (const TunedOption* uname = section.find("uname_regex")) {
      if (std::find(kArchitectures.begin(), kArchitectures.end(), uname->value) == kArchitectures.end()) {
        *why = "uname_regex=" + uname->value + " is not a plain architecture";
        return std::nullopt;
      }
      when.push_back({"arch", {uname->value}, {}});
    }
    return when;
  }

  void convert_section(const TunedSection& section) {
    const std::string plugin = section.plugin();
    if (section.get("enabled") == "false" || section.get("enabled") == "0") {
      writer_.leave_out("[" + section.name + "]", "disabled in TuneD (enabled=false)");
      return;
    }
    std::string why;
    auto when = conditions(section, &why);
    if (!when) {
      writer_.leave_out("[" + section.name + "] (" + std::to_string(section.options.size()) + " options)", why);
      return;
    }
    bool any = false;
    for (const auto& option : section.options) {
      if (std::find(kSectionControls.begin(), kSectionControls.end(), option.key) != kSectionControls.end()) continue;
      any = true;
      if (plugin == "bootloader" && starts_with(option.key, "cmdline")) {
        bootloader(section, option, option.value, *when);  // expanded word by word
        continue;
      }
      auto value = expand(option.value);
      if (!value) {
        writer_.leave_out(where(section, option), "uses a TuneD variable or function with no value here");
        continue;
      }
      if (trim(*value).empty() || value->find('\n') != std::string::npos) {
        writer_.leave_out(where(section, option), "no value");
        continue;
      }
      if (plugin == "sysctl") sysctl(section, option, *value, *when);
      else if (plugin == "vm") vm(section, option, *value, *when);
      else if (plugin == "cpu") cpu(section, option, *value, *when);
      else if (plugin == "disk") disk(section, option, *value, *when);
      else if (plugin == "bootloader") bootloader(section, option, *value, *when);
      else if (plugin == "sysfs") sysfs(section, option, *value, *when);
      else if (plugin == "scheduler") scheduler(section, option, *value);
      else writer_.leave_out(where(section, option), "tune has no equivalent of TuneD's " + plugin + " plugin");
    }
    if (!any) {
      writer_.leave_out("[" + section.name + "]",
                        "no options: TuneD's default (often dynamic) " + plugin + " tuning has no tune equivalent");
    }
  }

  // ">4096" asks for at least 4096, "<x" at most.
  static Want want_of(const std::string& value) {
    if (starts_with(value, ">")) return {Want::Op::AtLeast, {trim(value.substr(1))}};
    if (starts_with(value, "<")) return {Want::Op::AtMost, {trim(value.substr(1))}};
    if (value.find('|') != std::string::npos) {
      Want want{Want::Op::OneOf, {}};
      for (const auto& part : split(value, '|')) want.values.push_back(trim(part));
      return want;
    }
    return {Want::Op::Exact, {value}};
  }

  // Add a setting after checking it the way a profile would be checked.
  void add_checked(const std::string& what, const std::string& domain, const std::string& scope, const std::string& key,
                   const Want& want, const std::vector<Condition>& when) {
    const KnowledgeEntry* entry = Knowledge::builtin().find(domain, key);
    if (!entry) {
      writer_.leave_out(what, "tune's knowledge base does not describe " + domain + " " + key);
      return;
    }
    if (entry->status != Verdict::Valid) {
      writer_.leave_out(what, std::string(verdict_name(entry->status)) + ": " + entry->say);
      return;
    }
    if ((want.op == Want::Op::AtLeast || want.op == Want::Op::AtMost) && !entry->numeric()) {
      writer_.leave_out(what, key + " takes no bounds");
      return;
    }
    for (const auto& value : want.values) {
      ValueJudgement judgement = Knowledge::judge_value(*entry, value, want.op == Want::Op::AtLeast);
      if (judgement.verdict != Verdict::Valid && judgement.verdict != Verdict::Risky) {
        writer_.leave_out(what, std::string(verdict_name(judgement.verdict)) + ": " + judgement.message);
        return;
      }
    }
    writer_.add(domain, scope, key, want, "TuneD " + what, when);
  }

  void sysctl(const TunedSection& section, const TunedOption& option, const std::string& value,
              const std::vector<Condition>& when) {
    const std::string what = where(section, option);
    const Knowledge& knowledge = Knowledge::builtin();
    if (!valid_sysctl_key(option.key)) {
      writer_.leave_out(what, "not a sysctl key");
      return;
    }
    if (!knowledge.find("sysctl", option.key)) {
      writer_.add_unchecked("sysctl", option.key, value, "TuneD " + what);
      return;
    }
    add_checked(what, "sysctl", "", option.key, want_of(value), when);
  }

  void vm(const TunedSection& section, const TunedOption& option, const std::string& value,
          const std::vector<Condition>& when) {
    const std::string what = where(section, option);
    if (option.key == "transparent_hugepages" || option.key == "transparent_hugepage") {
      add_checked(what, "memory", "", "transparent_hugepages.enabled", want_of(value), when);
    } else if (option.key == "transparent_hugepage.defrag") {
      add_checked(what, "memory", "", "transparent_hugepages.defrag", want_of(value), when);
    } else {
      writer_.leave_out(what, "tune has no equivalent of TuneD's vm option " + option.key);
    }
  }

  void cpu(const TunedSection& section, const TunedOption& option, const std::string& value,
           const std::vector<Condition>& when) {
    const std::string what = where(section, option);
    static const std::map<std::string, std::string> kDirect = {
        {"governor", "governor"},
        {"energy_perf_bias", "energy_perf_bias"},
        {"energy_performance_preference", "energy_performance_preference"},
        {"min_perf_pct", "min_perf_pct"},
        {"max_perf_pct", "max_perf_pct"}};
    if (auto direct = kDirect.find(option.key); direct != kDirect.end()) {
      add_checked(what, "cpu", "", direct->second, want_of(value), when);
    } else if (option.key == "no_turbo") {
      bool off = value == "1" || value == "true";
      add_checked(what, "cpu", "", "boost", {Want::Op::Exact, {off ? "false" : "true"}}, when);
    } else if (option.key == "force_latency") {
      // "cstate.id_no_zero:1|3": C-state 1's exit latency where the CPU has
      // it, else 3 us. tune takes the number.
      std::string latency = value.substr(value.rfind('|') == std::string::npos ? 0 : value.rfind('|') + 1);
      if (!parse_integer(latency)) {
        writer_.leave_out(what, "a C-state reference without a fallback latency in microseconds");
        return;
      }
      if (latency != value) {
        writer_.leave_out(what, "the C-state part (" + value.substr(0, value.rfind('|')) + ") is TuneD's; converted to its fallback " + latency + " us");
      }
      add_checked(what, "cpu", "", "cstate_latency_us", {Want::Op::Exact, {latency}}, when);
    } else {
      writer_.leave_out(what, "tune has no equivalent of TuneD's cpu option " + option.key);
    }
  }

  // TuneD's disk devices (globs over names) as tune's device classes.
  std::optional<std::vector<std::string>> device_classes(const TunedSection& section, std::string* why) const {
    std::string devices = section.get("devices");
    if (devices.empty()) return std::vector<std::string>{"all"};
    std::vector<std::string> classes;
    for (const auto& pattern : split(devices, ',')) {
      std::string glob = trim(pattern);
      if (starts_with(glob, "nvme")) classes.push_back("nvme");
      else if (starts_with(glob, "sd") || starts_with(glob, "hd")) {
        classes.push_back("ssd");
        classes.push_back("hdd");
      } else if (starts_with(glob, "vd") || starts_with(glob, "xvd")) {
        classes.push_back("virtual");
      } else {
        *why = "devices=" + devices + " names devices tune cannot group into a class";
        return std::nullopt;
      }
    }
    return classes;
  }

  void disk(const TunedSection& section, const TunedOption& option, const std::string& value,
            const std::vector<Condition>& when) {
    const std::string what = where(section, option);
    std::string why;
    auto classes = device_classes(section, &why);
    if (!classes) {
      writer_.leave_out(what, why);
      return;
    }
    if (option.key == "readahead") {
      // KiB by default; "8192 s" is in 512-byte sectors.
      Want want = want_of(value);
      std::string& amount = want.values.at(0);
      auto fields = split_whitespace(amount);
      if (fields.size() == 2 && fields[1] == "s" && parse_integer(fields[0])) amount = std::to_string(*parse_integer(fields[0]) / 2);
      for (const auto& device_class : *classes) add_checked(what, "block", device_class, "read_ahead_kb", want, when);
    } else if (option.key == "elevator") {
      for (const auto& device_class : *classes) add_checked(what, "block", device_class, "scheduler", want_of(value), when);
    } else {
      writer_.leave_out(what, "tune has no equivalent of TuneD's disk option " + option.key);
    }
  }

  void bootloader(const TunedSection& section, const TunedOption& option, const std::string& value,
                  const std::vector<Condition>& when) {
    const std::string what = where(section, option);
    if (!starts_with(option.key, "cmdline")) {
      writer_.leave_out(what, "tune has no equivalent of TuneD's bootloader option " + option.key);
      return;
    }
    std::string line = trim(value);
    if (starts_with(line, "+")) line = trim(line.substr(1));
    for (const auto& raw : split_whitespace(line)) {
      auto expanded = expand(raw);
      if (!expanded) {
        writer_.leave_out(what + ": " + raw, "uses a TuneD variable or function with no value here");
        continue;
      }
      const std::string word = *expanded;
      if (starts_with(word, "-")) {
        writer_.leave_out(what, "removing kernel parameters (" + word + ") is not something a tune profile says");
        continue;
      }
      auto equals = word.find('=');
      std::string name = equals == std::string::npos ? word : word.substr(0, equals);
      std::string argument = equals == std::string::npos ? "true" : word.substr(equals + 1);
      add_checked(what + ": " + word, "boot", "", name, {Want::Op::Exact, {argument}}, when);
    }
  }

  void sysfs(const TunedSection& section, const TunedOption& option, const std::string& value,
             const std::vector<Condition>& when) {
    const std::string what = where(section, option);
    std::vector<std::string> captures;
    const KnowledgeEntry* entry = Knowledge::builtin().find_by_path(option.key, &captures);
    if (!entry || entry->domain == "sysfs" || entry->domain == "sysctl") {
      writer_.leave_out(what, entry ? "tune has no raw sysfs domain; this file is " + entry->domain + " " + entry->key
                                    : "tune has no raw sysfs domain and no setting for this file");
      return;
    }
    if (entry->domain == "block") {
      writer_.leave_out(what, "a block device file: write it under block with a device class");
      return;
    }
    add_checked(what, entry->domain, "", entry->key, want_of(value), when);
  }

  void scheduler(const TunedSection& section, const TunedOption& option, const std::string& value) {
    const std::string what = where(section, option);
    if (starts_with(option.key, "sched_") || starts_with(option.key, "numa_balancing_")) {
      // TuneD writes these to debugfs on kernels that moved them.
      const KnowledgeEntry* entry = Knowledge::builtin().find("sysctl", "kernel." + option.key);
      writer_.leave_out(what, entry ? std::string(verdict_name(entry->status)) + " as a sysctl: " + entry->say
                                    : "a scheduler tunable tune does not manage");
      return;
    }
    (void)value;
    writer_.leave_out(what, "TuneD's scheduler plugin (process placement, isolation) has no tune equivalent yet");
  }

  const TunedProfile& profile_;
  ProfileWriter writer_;
  std::map<std::string, std::string> variables_;
};

}  // namespace

ProfileWriter convert_tuned_profile(const TunedProfile& profile, const std::string& name) {
  return Converter(profile, name.empty() ? "tuned-" + profile.name : name).run();
}

Result<ProfileWriter> convert_tuned(const std::string& path_or_name, const std::string& name,
                                    const std::vector<std::string>& search) {
  auto profile = load_tuned_profile(path_or_name, search);
  if (!profile) return profile.error();
  return convert_tuned_profile(*profile, name);
}

}  // namespace tune::import
