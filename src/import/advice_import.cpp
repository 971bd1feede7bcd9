#include "import/advice_import.h"

#include "util/text.h"

#include <algorithm>

namespace tune::import {
namespace {

const std::vector<std::string> kProfileDomains = {"sysctl", "cpu",      "block",       "memory", "swap",
                                                  "limits", "services", "environment", "boot",   "power"};

std::string describe(const audit::AdviceItem& item) {
  std::string what = item.key.empty() ? item.path : item.domain + " " + (item.scope.empty() ? "" : item.scope + " ") + item.key;
  return item.where() + " " + what + " = " + item.value;
}

// Where a finding lands in a profile: domain, scope, key, value.
struct Target {
  std::string domain, scope, key, value;
};

// The modern form of a mapped finding ("environment:OLLAMA_CONTEXT_LENGTH", "cpu:boost").
std::optional<Target> mapped_target(const audit::Finding& finding, const audit::AdviceItem& item) {
  const KnowledgeEntry* entry = finding.entry;
  ValueJudgement value = Knowledge::judge_value(*entry, item.value);
  if (entry->status == Verdict::Valid) return Target{item.domain, item.scope, item.key, value.use};  // a mapped value (noop -> none)
  auto colon = entry->replacement.find(':');
  if (colon == std::string::npos) return std::nullopt;
  Target target{entry->replacement.substr(0, colon), item.scope, entry->replacement.substr(colon + 1),
                value.use.empty() ? item.value : value.use};
  if (target.domain != item.domain) target.scope = "";
  return target;
}

}  // namespace

ProfileWriter profile_from_advice(const std::vector<audit::Finding>& findings, const std::string& name,
                                  const std::string& summary) {
  ProfileWriter writer(name, summary);
  for (const auto& finding : findings) {
    // Mechanics findings and lines tune does not read carry no setting of their own.
    if (finding.kind != audit::FindingKind::Setting) continue;
    const audit::AdviceItem& item = finding.item;
    const std::string what = describe(item);
    if (finding.verdict != Verdict::Valid && finding.verdict != Verdict::Mapped) {
      writer.leave_out(what, std::string(verdict_name(finding.verdict)) + ": " + finding.message);
      continue;
    }
    if (!item.value_known) {
      writer.leave_out(what, "the value comes from something the text does not set");
      continue;
    }
    Target target{item.domain, item.scope, item.key, item.value};
    if (finding.verdict == Verdict::Mapped) {
      auto mapped = mapped_target(finding, item);
      if (!mapped) {
        writer.leave_out(what, "mapped to " + finding.modern + ", which needs more than this line says: " + finding.message);
        continue;
      }
      target = *mapped;
    }
    if (std::find(kProfileDomains.begin(), kProfileDomains.end(), target.domain) == kProfileDomains.end()) {
      writer.leave_out(what, "not a profile setting (" + finding.message + ")");
      continue;
    }
    if (target.domain == "block") {
      std::string device_kind = audit::device_class(target.scope);
      if (device_kind.empty()) {
        writer.leave_out(what, "the device '" + target.scope + "' does not say its class (nvme, ssd, hdd or virtual)");
        continue;
      }
      target.scope = device_kind;
    }
    if ((target.domain == "services" || target.domain == "environment") && target.scope.empty()) {
      writer.leave_out(what, "no unit is named; put it under the service that reads it");
      continue;
    }
    if (target.domain == "limits" && (target.scope.empty() || target.scope.front() == '(')) {
      writer.leave_out(what, "ulimit lasts for one shell; write it for a user, a group or a service");
      continue;
    }
    if (target.domain == "swap" && target.key == "swapfile.size") {
      writer.add("swap", "", "swapfile.path", Want{Want::Op::Exact, {target.scope}}, what);
      target.scope = "";
    }
    if (target.domain == "cpu" && target.key == "boost") target.value = target.value == "1" || target.value == "true" ? "true" : "false";
    Want want{Want::Op::Exact, {target.value}};
    std::string base_key = target.key;
    if (target.domain == "limits" && (ends_with(base_key, ".soft") || ends_with(base_key, ".hard"))) {
      base_key.resize(base_key.size() - 5);
    }
    const KnowledgeEntry* entry = Knowledge::builtin().find(target.domain, base_key);
    if (entry && entry->raise_only && (entry->type == ValueType::Integer || entry->type == ValueType::Integers || entry->type == ValueType::Limit) &&
        target.value != "unlimited" && target.value != "infinity") {
      want.op = Want::Op::AtLeast;  // tune raises limits; it never lowers them
    }
    writer.add(target.domain, target.scope, target.key, want, what);
  }
  return writer;
}

}  // namespace tune::import
