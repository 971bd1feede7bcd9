// Verdicts for advice items.
#include "audit/audit.h"

#include "util/text.h"
#include "util/sysctl_names.h"

#include <algorithm>

namespace tune::audit {
namespace {

std::string kb_key(const AdviceItem& item) {
  if (item.domain == "limits" && (ends_with(item.key, ".soft") || ends_with(item.key, ".hard"))) {
    return item.key.substr(0, item.key.size() - 5);
  }
  return item.key;
}

// hugepages-2048kB -> 2M
std::string hugepage_size(const std::string& kilobytes) {
  auto kb = parse_integer(kilobytes);
  if (!kb) return kilobytes;
  if (*kb % (1024 * 1024) == 0) return std::to_string(*kb / (1024 * 1024)) + "G";
  if (*kb % 1024 == 0) return std::to_string(*kb / 1024) + "M";
  return std::to_string(*kb) + "K";
}

// Fill domain, key and scope of an item known only by its path.
const KnowledgeEntry* resolve_path(AdviceItem& item) {
  std::vector<std::string> captures;
  const KnowledgeEntry* entry = Knowledge::builtin().find_by_path(item.path, &captures);
  if (!entry) return nullptr;
  item.domain = entry->domain;
  item.key = entry->key;
  if (entry->domain == "block" && !captures.empty()) item.scope = captures[0];
  if (entry->domain == "memory" && starts_with(entry->key, "hugepages.") && !captures.empty()) {
    item.scope = hugepage_size(captures.back());
    if (entry->key == "hugepages.node*" && captures.size() >= 2) item.key = "hugepages.node" + captures[0];
  }
  if (entry->domain == "cpu" && !captures.empty()) item.scope = "";
  return entry;
}

// How a profile writes the setting, for the "modern form".
std::string profile_form(const AdviceItem& item, const std::string& value) {
  std::string scope = item.scope;
  if (item.domain == "block") {
    std::string device_kind = device_class(item.scope);
    scope = device_kind.empty() ? "<class of " + item.scope + ">" : device_kind;
  }
  std::string head = item.domain + (scope.empty() ? "" : " " + scope) + " " + item.key;
  return value.empty() ? head : head + " = " + value;
}

std::string replacement_form(const KnowledgeEntry& entry, const std::string& use) {
  std::string form = entry.replacement;
  auto colon = form.find(':');
  if (colon != std::string::npos && form.front() != '/') form = form.substr(0, colon) + " " + form.substr(colon + 1);
  if (!use.empty()) form += " = " + use;
  return form;
}

// Limits and queues tune only raises: the live value decides whether the
// advice lowers it, whatever the usual default would suggest.
void check_raise_only(Finding& finding, const System& host) {
  if (!finding.entry || !finding.entry->raise_only || finding.item.domain != "sysctl" || !finding.item.value_known) return;
  if (finding.verdict != Verdict::Valid && finding.verdict != Verdict::Risky) return;
  auto live = host.read_file(sysctl_path_of(finding.item.key));
  if (!live) return;
  auto live_fields = split_whitespace(*live);
  auto wanted_fields = split_whitespace(finding.item.value);
  if (live_fields.empty() || live_fields.size() != wanted_fields.size()) return;
  const std::string live_value = normalize_spaces(*live);
  finding.host_note = "live value " + live_value;
  for (size_t i = 0; i < live_fields.size(); ++i) {
    if (compare_whole_numbers(wanted_fields[i], live_fields[i]).value_or(0) < 0) {
      finding.verdict = Verdict::Risky;
      finding.message = "Lowers this host's value (" + live_value + ") to " + finding.item.value + "; tune only raises " +
                        finding.item.key + ".";
      finding.modern = profile_form(finding.item, "{ at_least: " + finding.item.value + " }");
      return;
    }
  }
  if (finding.verdict == Verdict::Risky) {
    // The knowledge base warned about lowering a usual default; this host is below the advice.
    finding.verdict = Verdict::Valid;
    finding.message = "This host has " + live_value + ", so " + finding.item.value + " raises it here.";
  }
}

void check_presence(Finding& finding, const System& host) {
  if (finding.item.domain != "sysctl" || finding.item.key.find('*') != std::string::npos) return;
  if (finding.entry && !finding.entry->os.empty()) return;  // another OS's key
  auto info = host.stat(sysctl_path_of(finding.item.key));
  if (info && !info->exists) {
    finding.host_note = "absent on this host";
    if (finding.verdict == Verdict::Valid && !finding.entry->since.empty()) {
      finding.host_note += " (added in Linux " + finding.entry->since + ")";
    }
  }
}

// Whether two spellings of a value are the same value: "1" and "01",
// "4096  87380 6291456" and "4096 87380 6291456".
bool same_value(const std::string& a, const std::string& b) {
  auto left = split_whitespace(a), right = split_whitespace(b);
  if (left.size() != right.size() || left.empty()) return false;
  for (size_t i = 0; i < left.size(); ++i) {
    if (left[i] == right[i]) continue;
    if (compare_whole_numbers(left[i], right[i]).value_or(1) != 0) return false;
  }
  return true;
}

// The file a setting lives in, when it is one file.
std::string live_path(const AdviceItem& item) {
  if (item.domain == "sysctl" && item.key.find('*') == std::string::npos) return sysctl_path_of(item.key);
  if (!item.path.empty() && item.path.find('*') == std::string::npos) return item.path;
  return "";
}

// A value the host already has, or the kernel's default, changes nothing.
void check_no_effect(Finding& finding, const System* host) {
  const AdviceItem& item = finding.item;
  if (finding.verdict != Verdict::Valid || !item.value_known || item.value.empty() || !finding.entry) return;
  if (host) {
    const std::string path = live_path(item);
    if (path.empty()) return;
    auto live = host->read_file(path);
    if (!live) return;
    std::string current = trim(*live);
    std::vector<std::string> choices;
    std::string chosen;
    if (parse_bracketed_choice(current, chosen, choices)) current = chosen;
    if (!same_value(current, item.value)) return;
    finding.verdict = Verdict::NoEffect;
    finding.host_note = "live value " + normalize_spaces(current);
    finding.message = "This host already has " + normalize_spaces(current) + ", so writing it changes nothing here.";
    return;
  }
  const std::string& usual = finding.entry->default_value;
  if (usual.empty() || !same_value(usual, item.value)) return;
  finding.verdict = Verdict::NoEffect;
  finding.message = item.value + " is already the default, so writing it changes nothing unless something else "
                    "changed it first.";
}

}  // namespace

std::string device_class(const std::string& device) {
  if (starts_with(device, "nvme")) return "nvme";
  if (starts_with(device, "vd") || starts_with(device, "xvd")) return "virtual";
  return "";
}

Finding judge(const AdviceItem& advice, const System* host) {
  Finding finding;
  finding.item = advice;
  AdviceItem& item = finding.item;
  const Knowledge& knowledge = Knowledge::builtin();
  const KnowledgeEntry* entry = nullptr;
  if (!item.key.empty()) entry = knowledge.find(item.domain, kb_key(item));
  else if (!item.path.empty()) entry = resolve_path(item);
  finding.entry = entry;
  if (!entry) {
    finding.verdict = Verdict::NotJudged;
    finding.rule = "unknown-key";
    std::string what = item.key.empty() ? item.path : item.domain + " " + item.key;
    finding.message = "tune's knowledge base does not describe " + what;
    if (!item.key.empty()) {
      if (auto hint = closest_match(item.key, knowledge.keys(item.domain))) finding.message += " (did you mean " + *hint + "?)";
    }
    return finding;
  }

  // A value the advice names that tune has something to say about.
  ValueJudgement value{Verdict::Valid, "", ""};
  if (item.value_known && !item.value.empty()) value = Knowledge::judge_value(*entry, item.value);

  switch (entry->status) {
    case Verdict::Obsolete:
    case Verdict::Nonexistent:
      finding.verdict = entry->status;
      finding.message = entry->say;
      if (!entry->replacement.empty()) finding.modern = replacement_form(*entry, "");
      break;
    case Verdict::Risky:
      finding.verdict = Verdict::Risky;
      finding.message = entry->say;
      break;
    case Verdict::Mapped:
      if (value.verdict != Verdict::Valid && value.verdict != Verdict::OutOfRange && !value.message.empty()) {
        finding.verdict = value.verdict;
        finding.message = value.message;
        finding.modern = replacement_form(*entry, value.use);
      } else {
        finding.verdict = Verdict::Mapped;
        finding.message = entry->say;
        // A command's arguments are not the value of the setting it maps to.
        bool carry_value = entry->type != ValueType::Text && item.value_known;
        finding.modern = replacement_form(*entry, !value.use.empty() ? value.use : carry_value ? item.value : "");
      }
      break;
    default:
      finding.verdict = value.verdict;
      finding.message = value.message.empty() ? entry->say : value.message;
      if (value.verdict == Verdict::Mapped || (value.verdict == Verdict::Risky && !value.use.empty())) {
        finding.modern = profile_form(item, value.use);
      } else if (value.verdict == Verdict::Valid && item.domain != "command") {
        finding.modern = profile_form(item, item.value);
      }
      if (value.verdict == Verdict::OutOfRange) finding.message = item.key + " " + value.message;
      break;
  }
  // Locked memory for every user: any login can pin all of RAM.
  if (item.domain == "limits" && item.scope == "*" && starts_with(item.key, "memlock") &&
      (item.value == "unlimited" || item.value == "infinity") && finding.verdict == Verdict::Valid) {
    finding.verdict = Verdict::Risky;
    finding.message = "Unlimited locked memory for every user lets any login pin all of RAM; give it to the inference "
                      "service (services LimitMEMLOCK) or its group (@group) instead.";
    finding.modern.clear();
  }
  if (!item.value_known) {
    finding.message += std::string(finding.message.empty() ? "" : " ") + "(The value, " + item.value +
                       ", comes from something the text does not set.)";
  }
  if (host) {
    check_presence(finding, *host);
    check_raise_only(finding, *host);
  }
  if (finding.host_note.find("absent") == std::string::npos) check_no_effect(finding, host);
  return finding;
}

namespace {

const Finding* last_setting(const std::vector<Finding>& findings, size_t before, const std::string& domain,
                            const std::string& key, const std::string& scope) {
  for (size_t i = before; i-- > 0;) {
    const AdviceItem& item = findings[i].item;
    if (item.domain == domain && item.key == key && item.scope == scope && item.value_known) return &findings[i];
  }
  return nullptr;
}

// What only the whole text shows: one setting given two values, a setting
// that another one in the same text makes ineffective.
void note_contradictions(std::vector<Finding>& findings) {
  for (size_t i = 0; i < findings.size(); ++i) {
    Finding& finding = findings[i];
    const AdviceItem& item = finding.item;
    if (item.key.empty() || !item.value_known || item.domain == "command") continue;
    auto add = [&](const std::string& note) {
      finding.message += (finding.message.empty() ? "" : " ") + note;
    };
    // A variable given to one command (NAME=value command) is that command's alone.
    const Finding* earlier = item.form == "command environment" ? nullptr
                                                                : last_setting(findings, i, item.domain, item.key, item.scope);
    if (earlier && earlier->item.form != "command environment" &&
        normalize_spaces(earlier->item.value) != normalize_spaces(item.value)) {
      add("Contradicts line " + std::to_string(earlier->item.line) + ", which sets " + earlier->item.value +
          "; whichever runs last wins.");
    }
    // Settings another one in the same text makes moot have no effect.
    auto no_effect = [&](const std::string& why) {
      if (finding.verdict == Verdict::Valid || finding.verdict == Verdict::Risky) finding.verdict = Verdict::NoEffect;
      finding.message = why;
    };
    if (item.domain == "sysctl" && (item.key == "vm.overcommit_ratio" || item.key == "vm.overcommit_kbytes")) {
      const Finding* mode = last_setting(findings, findings.size(), "sysctl", "vm.overcommit_memory", "");
      if (mode && mode->item.value != "2") {
        no_effect("This text sets vm.overcommit_memory = " + mode->item.value + " (line " + std::to_string(mode->item.line) +
                  "), and " + item.key + " counts only under 2, so it has no effect.");
      }
    }
    if (item.domain == "memory" && item.key == "transparent_hugepages.khugepaged_defrag") {
      const Finding* mode = last_setting(findings, findings.size(), "memory", "transparent_hugepages.enabled", "");
      if (mode && mode->item.value == "never") {
        no_effect("This text sets transparent hugepages to never (line " + std::to_string(mode->item.line) +
                  "), so khugepaged collapses nothing and its defrag setting has no effect.");
      }
    }
  }
}

// Settings that count only under another one, which the text leaves as the
// host has it: the host decides whether they do anything.
void note_moot_on_host(std::vector<Finding>& findings, const System& host) {
  struct Dependency {
    const char* domain;
    const char* key;
    const char* on_domain;
    const char* on_key;
    const char* on_path;
    const char* needed;  // the value the controlling setting must have
    const char* why;
  };
  static const Dependency kDependencies[] = {
      {"sysctl", "vm.overcommit_ratio", "sysctl", "vm.overcommit_memory", "/proc/sys/vm/overcommit_memory", "2",
       "vm.overcommit_ratio counts only under vm.overcommit_memory = 2"},
      {"sysctl", "vm.overcommit_kbytes", "sysctl", "vm.overcommit_memory", "/proc/sys/vm/overcommit_memory", "2",
       "vm.overcommit_kbytes counts only under vm.overcommit_memory = 2"},
  };
  for (auto& finding : findings) {
    if (finding.kind != FindingKind::Setting || finding.verdict != Verdict::Valid) continue;
    for (const auto& dependency : kDependencies) {
      if (finding.item.domain != dependency.domain || finding.item.key != dependency.key) continue;
      if (last_setting(findings, findings.size(), dependency.on_domain, dependency.on_key, "")) continue;  // the text decides
      auto live = host.read_file(dependency.on_path);
      if (!live || trim(*live) == dependency.needed) continue;
      finding.verdict = Verdict::NoEffect;
      finding.host_note = std::string(dependency.on_key) + " is " + trim(*live);
      finding.message = std::string(dependency.why) + "; this host has " + trim(*live) +
                        " and the text does not change it, so it has no effect here.";
    }
  }
}

}  // namespace

std::vector<Finding> audit_text(const std::string& text, const std::string& source, const System* host) {
  std::vector<Finding> findings;
  for (const auto& item : extract_advice(text, source)) findings.push_back(judge(item, host));
  for (const auto& item : extract_inference(text, source)) findings.push_back(judge(item, host));
  for (const auto& item : extract_desktop(text, source)) findings.push_back(judge(item, host));
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.item.line < b.item.line; });
  note_contradictions(findings);
  if (host) note_moot_on_host(findings, *host);
  judge_inference_context(findings);
  judge_desktop_context(findings);
  add_mechanics_findings(text, source, findings);
  add_desktop_steps(text, source, findings);
  add_unjudged_lines(text, source, findings);
  // Mechanics after the settings of their line, lines not judged in place.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.item.line != b.item.line) return a.item.line < b.item.line;
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
  return findings;
}


}  // namespace tune::audit
