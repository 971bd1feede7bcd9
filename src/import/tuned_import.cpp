// Mapping TuneD's plugins onto tune's domains: the core (sections, their
// conditions, variables, the outcome of every option) and the plugins for
// the kernel's tunables, CPUs, disks and the boot command line.
#include "import/tuned_converter.h"

#include "core/knowledge.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace tune::import {
namespace {

// Options every TuneD section may carry that are not settings.
const std::vector<std::string> kSectionControls = {"type", "devices", "enabled", "replace", "priority", "drop",
                                                   "uname_regex", "cpuinfo_regex", "virt_regex", "system_regex"};
const std::vector<std::string> kArchitectures = {"aarch64", "x86_64", "ppc64le", "ppc64", "s390x", "i686", "armv7l"};

// A function argument: ':' is escaped, and braces cannot be held at all.
std::optional<std::string> argument(const std::string& text) {
  if (text.find_first_of("{}") != std::string::npos) return std::nullopt;
  std::string out;
  for (char c : text) {
    if (c == ':') out += '\\';
    out += c;
  }
  return out;
}

// `base` everywhere but where every condition holds, `over` there, as one
// value of plan-time functions: arch and uname through regex_search_ternary
// on the fact, cpuinfo through cpuinfo_check.
std::optional<std::string> conditional_value(const Want& base, const Want& over, const std::vector<Condition>& when) {
  if (base.op != Want::Op::Exact || over.op != Want::Op::Exact) return std::nullopt;
  auto otherwise = argument(base.values.at(0));
  auto value = argument(over.values.at(0));
  if (!otherwise || !value) return std::nullopt;
  std::string result = *value;
  for (auto it = when.rbegin(); it != when.rend(); ++it) {
    if (it->alternatives.size() != 1) return std::nullopt;
    std::string alternative = it->alternatives[0];
    if (it->fact == "arch") alternative = "~^" + alternative + "$";
    if (!starts_with(alternative, "~")) return std::nullopt;
    auto regex = argument(alternative.substr(1));
    if (!regex) return std::nullopt;
    if (it->fact == "cpuinfo") result = "${f:cpuinfo_check:" + *regex + ":" + result + ":" + *otherwise + "}";
    else if (it->fact == "arch" || it->fact == "uname") {
      result = "${f:regex_search_ternary:${facts." + it->fact + "}:" + *regex + ":" + result + ":" + *otherwise + "}";
    } else {
      return std::nullopt;
    }
  }
  return result;
}

// A command line's words: split at white space outside ${...}.
std::vector<std::string> command_words(const std::string& line) {
  std::vector<std::string> words(1);
  int depth = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line.compare(i, 2, "${") == 0) ++depth;
    if (line[i] == '}' && depth > 0) --depth;
    if (depth == 0 && std::isspace(static_cast<unsigned char>(line[i]))) {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    words.back() += line[i];
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

}  // namespace

TunedConverter::TunedConverter(const TunedProfile& profile, const std::string& name)
    : profile_(profile),
      result_{ProfileWriter(name, profile.summary.empty() ? "Converted from TuneD's " + profile.name : profile.summary), {}},
      values_(profile.variables, profile.dir) {
  result_.coverage.profile = profile.name;
  result_.coverage.without_default = profile.without_default;
}

std::string TunedConverter::where(const TunedSection& section, const TunedOption& option) {
  return "[" + section.name + "] " + option.key + "=" + option.value + " (" + option.origin + ")";
}

Want TunedConverter::want_of(const std::string& value) {
  if (starts_with(value, ">")) return {Want::Op::AtLeast, {trim(value.substr(1))}};
  if (starts_with(value, "<")) return {Want::Op::AtMost, {trim(value.substr(1))}};
  if (value.find('|') != std::string::npos && value.find("${") == std::string::npos) {
    Want want{Want::Op::OneOf, {}};
    for (const auto& part : split(value, '|')) want.values.push_back(trim(part));
    return want;
  }
  return {Want::Op::Exact, {value}};
}

TunedConversion TunedConverter::run() {
  ProfileWriter& writer = result_.writer;
  writer.add_header_comment("Converted by `tune import tuned` from TuneD's " + profile_.name + " profile" +
                            (profile_.includes.empty() ? "" : " (including " + join(profile_.includes, ", ") + ")") + ".");
  for (const auto& note : profile_.notes) writer.add_header_comment(note);
  for (const auto& refusal : profile_.refusals) {
    begin();
    auto colon = refusal.find(": ");
    refuse(refusal.substr(0, colon), refusal.substr(colon + 2));
    end();
  }
  for (const auto& section : profile_.sections) {
    has_systemd_affinity_ = has_systemd_affinity_ || (section.plugin() == "systemd" && section.find("cpu_affinity"));
  }
  for (const auto& section : profile_.sections) convert_section(section);
  convert_variables();
  return std::move(result_);
}

void TunedConverter::end() {
  TunedCoverage& coverage = result_.coverage;
  if (outcome_.left_out > 0) ++coverage.unconverted;
  else if (outcome_.added > 0) ++coverage.converted;
  else if (outcome_.refused > 0) ++coverage.refused;
}

void TunedConverter::add(const std::string& what, const std::string& domain, const std::string& scope, const std::string& key,
                         const Want& want, const std::vector<Condition>& when, const std::string& note) {
  // What the converter writes must read back as a profile: a value or
  // condition that tune's reader would refuse is left out with its reason
  // rather than written into a file that does not load.
  if (auto refusal = ProfileWriter::refusal_of(domain, scope, key, want, when)) {
    leave_out(what, "tune's profile reader refuses it: " + *refusal);
    return;
  }
  // A section with conditions after one without: TuneD applies both, the
  // later over the earlier where its conditions hold. One setting holds one
  // value, so that works only where the two agree.
  if (auto existing = result_.writer.find(domain, scope, key); existing && existing->second.empty() && !when.empty()) {
    if (existing->first.op == want.op && existing->first.values == want.values) {
      result_.writer.add(domain, scope, key, want, "TuneD " + what + ", the same where its conditions hold", {});
      ++outcome_.added;
      return;
    }
    // One setting, one value: the choice moves into the value, made by
    // tune's plan-time functions from the same facts the conditions read.
    if (auto chosen = conditional_value(existing->first, want, when);
        chosen && !ProfileWriter::refusal_of(domain, scope, key, {Want::Op::Exact, {*chosen}}, {})) {
      result_.writer.add(domain, scope, key, {Want::Op::Exact, {*chosen}},
                         "TuneD " + what + ", over the value above only where its section's conditions hold: "
                         "the value chooses",
                         {});
      written_.push_back(*chosen);
      ++outcome_.added;
      return;
    }
    leave_out(what, "TuneD sets this over " + std::string(want_op_name(existing->first.op)) + " " +
                        join(existing->first.values, "|") +
                        " only where the section's conditions hold; a tune profile holds one value per setting, and "
                        "the unconditional one stays");
    return;
  }
  result_.writer.add(domain, scope, key, want, "TuneD " + what + (note.empty() ? "" : ": " + note), when);
  written_.insert(written_.end(), want.values.begin(), want.values.end());
  ++outcome_.added;
}

void TunedConverter::refuse(const std::string& what, const std::string& why) {
  result_.writer.refuse(what, why);
  result_.coverage.refusals.push_back(what + ": " + why);
  ++outcome_.refused;
}

void TunedConverter::leave_out(const std::string& what, const std::string& why) {
  result_.writer.leave_out(what, why);
  result_.coverage.not_converted.push_back(what + ": " + why);
  ++outcome_.left_out;
}

void TunedConverter::add_checked(const std::string& what, const std::string& domain, const std::string& scope,
                                 const std::string& key, const Want& want, const std::vector<Condition>& when,
                                 const std::string& note) {
  const KnowledgeEntry* entry = Knowledge::builtin().find(domain, key);
  if (!entry) {
    leave_out(what, "tune's knowledge base does not describe " + domain + " " + key);
    return;
  }
  if (entry->status != Verdict::Valid) {
    refuse(what, std::string(verdict_name(entry->status)) + " in tune's knowledge base: " + entry->say);
    return;
  }
  if ((want.op == Want::Op::AtLeast || want.op == Want::Op::AtMost) && !entry->numeric()) {
    leave_out(what, key + " takes no bounds");
    return;
  }
  for (const auto& value : want.values) {
    if (value.find("${") != std::string::npos) continue;  // checked by the profile reader once planned
    ValueJudgement judgement = Knowledge::judge_value(*entry, value, want.op == Want::Op::AtLeast);
    if (judgement.verdict == Verdict::NoEffect) {
      refuse(what, std::string("no-effect in tune's knowledge base: ") + judgement.message);
      return;
    }
    if (judgement.verdict != Verdict::Valid && judgement.verdict != Verdict::Risky) {
      leave_out(what, std::string(verdict_name(judgement.verdict)) + ": " + judgement.message);
      return;
    }
  }
  add(what, domain, scope, key, want, when, note);
}

std::optional<std::string> TunedConverter::value(const std::string& what, const std::string& text) {
  auto converted = values_.to_tune(text);
  if (!converted) {
    refuse(what, converted.error().message);
    return std::nullopt;
  }
  return *converted;
}

// A section's conditions as tune's `when`: TuneD applies a section only
// where re.search(regex, text) finds its uname_regex in " ".join(os.uname())
// and its cpuinfo_regex in /proc/cpuinfo (units/manager.py); tune's
// conditions search the same texts (facts uname and cpuinfo) with "~REGEX".
std::optional<std::vector<Condition>> TunedConverter::conditions(const TunedSection& section) {
  std::vector<Condition> when;
  const std::string what = "[" + section.name + "] (" + std::to_string(section.options.size()) + " options)";
  struct Control {
    const char* option;
    const char* fact;
  };
  // virt_regex and system_regex are the conditions of TuneD's recommend.d
  // (virt-what's output, /etc/system-release-cpe), not of tuned.conf; read
  // here the way a reader would mean them.
  for (const Control& control : {Control{"uname_regex", "uname"}, Control{"cpuinfo_regex", "cpuinfo"},
                                 Control{"virt_regex", "virtualization"}, Control{"system_regex", "os"}}) {
    const TunedOption* option = section.find(control.option);
    if (!option) continue;
    auto regex = values_.literal(option->value);
    if (!regex || !*regex) {
      refuse(what, std::string(control.option) + "=" + option->value + " depends on " +
                       (regex ? "the host through a TuneD function" : regex.error().message) +
                       ", and a condition needs fixed text");
      return std::nullopt;
    }
    const std::string pattern = **regex;
    // re.search with an empty pattern matches every text: no condition.
    if (pattern.empty()) continue;
    if (control.fact == std::string("uname") &&
        std::find(kArchitectures.begin(), kArchitectures.end(), pattern) != kArchitectures.end()) {
      when.push_back({"arch", {pattern}, {}});  // the machine field of uname: plainer as arch
      continue;
    }
    when.push_back({control.fact, {"~" + pattern}, {}});
  }
  if (const TunedOption* udev = section.find("devices_udev_regex")) {
    refuse(what, "devices_udev_regex=" + udev->value +
                     " picks devices by their udev properties, which tune's device scopes (names, globs, classes) do not read");
    return std::nullopt;
  }
  return when;
}

void TunedConverter::convert_section(const TunedSection& section) {
  const std::string plugin = section.plugin();
  if (section.get("enabled") == "false" || section.get("enabled") == "0" || section.get("enabled") == "False") {
    begin();
    refuse("[" + section.name + "]", "disabled in TuneD (enabled=false): nothing to carry out");
    end();
    return;
  }
  begin();
  auto when = conditions(section);
  if (!when) {
    end();
    return;
  }
  bool any = false;
  for (const auto& option : section.options) {
    if (std::find(kSectionControls.begin(), kSectionControls.end(), option.key) != kSectionControls.end()) continue;
    if (option.key == "devices_udev_regex") continue;
    if (plugin == "scheduler" && option.key == "default_irq_smp_affinity") continue;  // read with isolated_cores
    any = true;
    begin();
    const std::string what = where(section, option);
    if (option.key == "dynamic_tuning") {
      refuse(what, "TuneD's dynamic tuning watches the load and changes settings as it goes; tune applies a plan once "
                   "and runs nothing in the background");
    } else if (plugin == "script") {
      script(section, option);
    } else if (plugin == "bootloader") {
      bootloader(section, option, option.value, *when);  // words are converted one by one
    } else if (auto tune_value = value(what, option.value)) {
      if (trim(*tune_value).empty() && plugin != "modules") {
        refuse(what, "an empty value: TuneD sets nothing with it");
      } else if (plugin == "sysctl") sysctl(section, option, *tune_value, *when);
      else if (plugin == "vm") vm(section, option, *tune_value, *when);
      else if (plugin == "cpu") cpu(section, option, *tune_value, *when);
      else if (plugin == "disk") disk(section, option, *tune_value, *when);
      else if (plugin == "sysfs") sysfs(section, option, *tune_value, *when);
      else if (plugin == "scheduler") scheduler(section, option, *tune_value, *when);
      else if (plugin == "net") net(section, option, *tune_value, *when);
      else if (plugin == "irqbalance") irqbalance(section, option, *tune_value, *when);
      else if (plugin == "systemd") systemd(section, option, *tune_value, *when);
      else if (plugin == "selinux") selinux(section, option, *tune_value, *when);
      else if (plugin == "scsi_host" || plugin == "audio" || plugin == "video" || plugin == "usb") {
        power(section, option, *tune_value, *when);
      } else if (plugin == "modules") modules(section, option, *tune_value, *when);
      else leave_out(what, "TuneD's " + plugin + " plugin is not one the converter knows");
    }
    end();
  }
  if (!any) {
    begin();
    empty_section(section);
    end();
  }
}

// A section without options: what TuneD does with it.
void TunedConverter::empty_section(const TunedSection& section) {
  const std::string what = "[" + section.name + "] (no options)";
  static const std::map<std::string, std::string> kDynamic = {
      {"cpu", "lowers /dev/cpu_dma_latency while the load is above load_threshold and raises it when idle"},
      {"disk", "lowers each disk's APM level and spin-down time while it is idle and raises them under load"},
      {"net", "drops each interface's link speed while its traffic is low and restores it under load"},
      {"eeepc_she", "switches an Asus Eee PC's Super Hybrid Engine by CPU load"},
  };
  const std::string plugin = section.plugin();
  if (auto dynamic = kDynamic.find(plugin); dynamic != kDynamic.end()) {
    refuse(what, "TuneD's dynamic tuning, which " + dynamic->second +
                     "; tune applies a plan once and runs nothing that watches the load");
  } else if (plugin == "rtentsk") {
    refuse(what, "TuneD keeps a UDP socket with software timestamping open while it runs, so the kernel's "
                 "timestamping static key stays on and other programs switching it cause no stop-machine IPIs on "
                 "isolated CPUs; tune runs no daemon to hold it");
  } else {
    refuse(what, "the " + plugin + " plugin with no options sets nothing");
  }
}

void TunedConverter::convert_variables() {
  // Assertions: TuneD evaluates every variable when it loads the profile,
  // so an assertion stops a profile on a host that does not fit.
  for (const auto& variable : profile_.variables) {
    if (variable.value.find("${f:assertion") == std::string::npos) continue;
    begin();
    refuse("[variables] " + variable.key + "=" + variable.value + " (" + variable.origin + ")",
           "a TuneD assertion, checked when TuneD loads the profile; tune evaluates a variable only where a value "
           "uses it and has no free-standing check (a value whose CPU list comes out empty or names CPUs the host "
           "lacks is skipped with its reason when planned)");
    end();
  }
  const auto used = values_.variables_for(written_);
  std::vector<std::string> without_default = profile_.without_default;
  for (const auto& name : values_.undefined()) {
    if (std::find(without_default.begin(), without_default.end(), name) == without_default.end()) without_default.push_back(name);
  }
  result_.coverage.without_default = without_default;
  for (const auto& name : without_default) {
    if (std::none_of(used.begin(), used.end(), [&](const auto& variable) { return variable.first == name; })) {
      result_.writer.add_header_comment("TuneD has no value for " + name + " unless you give one (tune import tuned --set " +
                                        name + "=VALUE); converted as TuneD runs without it");
    }
  }
  for (const auto& [name, value] : used) {
    std::string comment;
    for (const auto& variable : profile_.variables) {
      if (variable.key == name) comment = "TuneD " + variable.key + "=" + variable.value + " (" + variable.origin + ")";
    }
    if (std::find(without_default.begin(), without_default.end(), name) != without_default.end()) {
      comment = "TuneD has no value for " + name + " unless you give one (tune import tuned --set " + name +
                "=VALUE, or a child profile's variables:); empty, as TuneD leaves it";
    }
    // As for settings: a variable tune's reader would refuse (a name it does
    // not allow) is left out with the reader's reason, never written.
    if (auto refusal = ProfileWriter::variable_refusal(name, value)) {
      begin();
      leave_out("[variables] " + name, "tune's profile reader refuses it: " + *refusal);
      end();
      continue;
    }
    result_.writer.add_variable(name, value, comment);
  }
}

void TunedConverter::sysctl(const TunedSection& section, const TunedOption& option, const std::string& value,
                            const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (!valid_sysctl_key(option.key)) {
    leave_out(what, "not a sysctl key");
    return;
  }
  if (!Knowledge::builtin().find("sysctl", option.key)) {
    result_.writer.add_unchecked("sysctl", option.key, value, "TuneD " + what);
    written_.push_back(value);
    ++outcome_.added;
    return;
  }
  add_checked(what, "sysctl", "", option.key, want_of(value), when);
}

void TunedConverter::vm(const TunedSection& section, const TunedOption& option, const std::string& value,
                        const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (option.key == "transparent_hugepages" || option.key == "transparent_hugepage") {
    add_checked(what, "memory", "", "transparent_hugepages.enabled", want_of(value), when);
  } else if (option.key == "transparent_hugepage.defrag") {
    add_checked(what, "memory", "", "transparent_hugepages.defrag", want_of(value), when);
  } else {
    leave_out(what, "TuneD's vm option " + option.key + " is not one the converter knows");
  }
}

void TunedConverter::cpu(const TunedSection& section, const TunedOption& option, const std::string& value,
                         const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  static const std::map<std::string, std::string> kDirect = {
      {"governor", "governor"},
      {"energy_perf_bias", "energy_perf_bias"},
      {"energy_performance_preference", "energy_performance_preference"},
      {"min_perf_pct", "min_perf_pct"},
      {"max_perf_pct", "max_perf_pct"},
      {"pm_qos_resume_latency_us", "resume_latency_us"}};
  if (option.key == "energy_perf_bias") {
    // x86_energy_perf_policy's "powersave" (15, what TuneD tries first on
    // CPUs without EPP) is the kernel's "power".
    Want want = want_of(value);
    std::vector<std::string> alternatives;
    for (auto alternative : want.values) {
      if (alternative == "powersave") alternative = "power";
      if (std::find(alternatives.begin(), alternatives.end(), alternative) == alternatives.end()) alternatives.push_back(alternative);
    }
    want.values = alternatives;
    if (want.op == Want::Op::OneOf && alternatives.size() == 1) want.op = Want::Op::Exact;
    add_checked(what, "cpu", "", "energy_perf_bias", want, when,
                value.find("powersave") != std::string::npos ? "powersave is x86_energy_perf_policy's name for the kernel's power (15)" : "");
  } else if (auto direct = kDirect.find(option.key); direct != kDirect.end()) {
    add_checked(what, "cpu", "", direct->second, want_of(value), when);
  } else if (option.key == "no_turbo") {
    bool off = value == "1" || value == "true";
    add_checked(what, "cpu", "", "boost", {Want::Op::Exact, {off ? "false" : "true"}}, when);
  } else if (option.key == "force_latency") {
    // TuneD holds /dev/cpu_dma_latency open with this value while it runs: a
    // host-wide PM QoS request. cstate_latency_us is that same request;
    // resume_latency_us (per CPU, where 0 means "no limit") is not, and would
    // turn force_latency=0 into no constraint at all.
    auto text = values_.literal(value);
    if (!text || !*text) {
      refuse(what, "the latency depends on the host through a TuneD function; it must be a number of microseconds");
      return;
    }
    // "cstate.id_no_zero:1|3": C-state 1's exit latency where the CPU has
    // it, else 3 us; tune takes the number.
    const std::string& latency_text = **text;
    std::string latency = latency_text.substr(latency_text.rfind('|') == std::string::npos ? 0 : latency_text.rfind('|') + 1);
    if (latency == "n/a") latency = "0";  // TuneD's "no limit" request is its lowest: stay out of idle states
    if (!parse_integer(latency)) {
      refuse(what, "a C-state reference without a fallback latency in microseconds: tune needs the number");
      return;
    }
    std::string note = "the PM QoS request TuneD holds in /dev/cpu_dma_latency";
    if (latency != latency_text) {
      note += "; TuneD first looks up " + latency_text.substr(0, latency_text.rfind('|')) +
              " (an idle state's exit latency on this CPU) and falls back to " + latency + " us, which tune takes";
    }
    add_checked(what, "cpu", "", "cstate_latency_us", {Want::Op::Exact, {latency}}, when, note);
  } else {
    leave_out(what, "TuneD's cpu option " + option.key + " is not one the converter knows");
  }
}

void TunedConverter::disk(const TunedSection& section, const TunedOption& option, const std::string& value,
                          const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  // TuneD's disk devices (globs over names) as tune's block scopes.
  std::vector<std::string> scopes;
  std::string devices = section.get("devices");
  if (devices.empty() || devices == "*") {
    scopes.push_back("all");
  } else {
    for (const auto& pattern : split(devices, ',')) {
      std::string glob = trim(pattern);
      if (starts_with(glob, "nvme")) scopes.push_back("nvme");
      else if (starts_with(glob, "vd") || starts_with(glob, "xvd")) scopes.push_back("virtual");
      // The parser takes a device name only with a digit or a glob (a bare
      // word could be a misspelt class): others are left out below.
      else if (valid_block_device_pattern(glob) && !starts_with(glob, "!") &&
               glob.find_first_of("0123456789*?") != std::string::npos) scopes.push_back(glob);
      else {
        leave_out(what, "devices=" + devices + " names devices that are no block device name or glob");
        return;
      }
    }
  }
  if (option.key == "readahead") {
    // KiB by default; "8192 s" is in 512-byte sectors.
    Want want = want_of(value);
    std::string& amount = want.values.at(0);
    auto fields = split_whitespace(amount);
    if (fields.size() == 2 && fields[1] == "s" && parse_integer(fields[0])) amount = std::to_string(*parse_integer(fields[0]) / 2);
    for (const auto& scope : scopes) add_checked(what, "block", scope, "read_ahead_kb", want, when);
  } else if (option.key == "elevator") {
    for (const auto& scope : scopes) add_checked(what, "block", scope, "scheduler", want_of(value), when);
  } else if (option.key == "apm" || option.key == "spindown") {
    // APM can be read back (IDENTIFY word 91), the standby timer cannot; both
    // are ATA commands the drive forgets at every power cycle and reset.
    refuse(what, option.key == "apm"
                     ? "an ATA drive's APM level is a command sent to the drive (hdparm -B), not a file tune can write: "
                       "the drive forgets it at every power cycle, reset and resume, so keeping it needs a program run "
                       "each time (Debian's hdparm package does this from /etc/hdparm.conf: apm = 128); SCSI, NVMe and "
                       "virtual disks have no such setting"
                     : "an ATA drive's spin-down timeout is a command sent to the drive (hdparm -S) that the drive cannot "
                       "report back, so tune could neither verify nor restore it (Debian's hdparm package sets it at "
                       "boot from /etc/hdparm.conf: spindown_time); SCSI, NVMe and virtual disks have no such setting");
  } else if (option.key == "scheduler_quantum" || option.key == "readahead_multiply") {
    refuse(what, "TuneD's " + option.key + " scales what a disk has (a legacy CFQ quantum, a multiple of the current "
                 "read-ahead), which depends on the value before it; tune writes values, not factors");
  } else {
    leave_out(what, "TuneD's disk option " + option.key + " is not one the converter knows");
  }
}

void TunedConverter::bootloader(const TunedSection& section, const TunedOption& option, const std::string& raw,
                                const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (starts_with(option.key, "initrd_")) {
    refuse(what, "TuneD builds and installs an extra initrd image (initrd_add_dir, initrd_add_img, initrd_dst_img, "
                 "initrd_remove_dir); tune changes the kernel command line but builds no boot images");
    return;
  }
  if (option.key == "skip_grub_config") {
    refuse(what, "TuneD's switch for not touching GRUB's configuration; tune writes a drop-in of its own");
    return;
  }
  if (!starts_with(option.key, "cmdline")) {
    leave_out(what, "TuneD's bootloader option " + option.key + " is not one the converter knows");
    return;
  }
  std::string line = trim(raw);
  if (starts_with(line, "+")) line = trim(line.substr(1));
  // Word by word, so one word TuneD cannot give a value leaves the others;
  // a variable may stand for several words (cpu-partitioning's cmd_isolcpus).
  std::vector<std::string> words;
  for (const auto& raw_word : command_words(line)) {
    auto converted = values_.to_tune(raw_word);
    if (!converted) {
      refuse(what + ": " + raw_word, converted.error().message);
      continue;
    }
    for (const auto& word : command_words(*converted)) words.push_back(word);
  }
  for (const auto& word : words) {
    if (word.empty()) continue;
    const std::string word_what = what + ": " + word;
    if (starts_with(word, "-")) {
      refuse(word_what, "removes a kernel parameter the boot loader has; a tune profile says what the command line "
                        "holds, and boot parameters it does not set are left as they are");
      continue;
    }
    auto equals = word.find('=');
    std::string name = equals == std::string::npos ? word : word.substr(0, equals);
    std::string argument = equals == std::string::npos ? "true" : word.substr(equals + 1);
    if (name == "tuned.non_isolcpus") {
      refuse(word_what, "read only by TuneD's own initrd hook (00-tuned-pre-udev.sh, which sets the workqueue CPU mask "
                        "before udev starts); tune installs no initrd hook and writes the workqueue masks through sysfs");
      continue;
    }
    add_checked(word_what, "boot", "", name, {Want::Op::Exact, {argument}}, when);
  }
}

void TunedConverter::scheduler(const TunedSection& section, const TunedOption& option, const std::string& value,
                               const std::vector<Condition>& when) {
  const std::string what = where(section, option);
  if (option.key == "isolated_cores") {
    isolated_cores(section, option, value, when);
  } else if (starts_with(option.key, "sched_") || starts_with(option.key, "numa_balancing_")) {
    // TuneD writes these to /proc/sys/kernel or, on kernels that moved them,
    // to debugfs.
    const KnowledgeEntry* entry = Knowledge::builtin().find("sysctl", "kernel." + option.key);
    if (entry && entry->status == Verdict::Valid) {
      add_checked(what, "sysctl", "", "kernel." + option.key, want_of(value), when);
    } else {
      refuse(what, entry ? std::string(verdict_name(entry->status)) + " as the sysctl kernel." + option.key + ": " + entry->say
                         : "kernels since 5.13 keep this scheduler tunable in debugfs (/sys/kernel/debug/sched/), a "
                           "debugging interface tune does not write");
    }
  } else if (starts_with(option.key, "group.")) {
    refuse(what, "sets the scheduling policy, priority and affinity of the running threads whose names match a regex "
                 "(" + option.key.substr(6) + "); threads come and go, and tune sets no per-process policy");
  } else if (option.key == "ps_blacklist" || option.key == "ps_whitelist" || option.key == "cgroup_ps_blacklist") {
    refuse(what, "chooses which running processes TuneD moves off the isolated CPUs; tune moves no running process "
                 "(new services get systemd's CPUAffinity), so there is nothing to choose");
  } else if (option.key == "runtime" || option.key == "perf_process_fork" || option.key == "perf_mmap_pages") {
    refuse(what, "controls TuneD's watching of new processes through perf events; tune watches nothing at run time");
  } else if (starts_with(option.key, "cgroup")) {
    refuse(what, "TuneD's cgroup v1 cpuset handling for isolated CPUs; tune creates and moves nothing into cgroups");
  } else {
    leave_out(what, "TuneD's scheduler option " + option.key + " is not one the converter knows");
  }
}

ProfileWriter convert_tuned_profile(const TunedProfile& profile, const std::string& name) {
  return convert_tuned_profile_with_coverage(profile, name).writer;
}

TunedConversion convert_tuned_profile_with_coverage(const TunedProfile& profile, const std::string& name) {
  return TunedConverter(profile, name.empty() ? "tuned-" + profile.name : name).run();
}

Result<TunedConversion> convert_tuned_with_coverage(const std::string& path_or_name, const std::string& name,
                                                    const std::vector<std::string>& search,
                                                    const TunedVariableSources& sources) {
  auto profile = load_tuned_profile(path_or_name, search, sources);
  if (!profile) return profile.error();
  return convert_tuned_profile_with_coverage(*profile, name);
}

Result<ProfileWriter> convert_tuned(const std::string& path_or_name, const std::string& name,
                                    const std::vector<std::string>& search, const TunedVariableSources& sources) {
  auto converted = convert_tuned_with_coverage(path_or_name, name, search, sources);
  if (!converted) return converted.error();
  return std::move(converted->writer);
}

}  // namespace tune::import
