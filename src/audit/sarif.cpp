// The audit as SARIF 2.1.0 (OASIS), one result per finding.
#include "audit/sarif.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

namespace tune::audit {
namespace {

constexpr const char* kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

// What each verdict means, as the rule's description a CI system shows
// beside the result.
const char* setting_rule_description(Verdict verdict) {
  switch (verdict) {
    case Verdict::Valid: return "The setting is valid here.";
    case Verdict::Mapped: return "The setting works, but tune writes it in its modern form.";
    case Verdict::NoEffect: return "The setting changes nothing here; leave it out.";
    case Verdict::Risky: return "The setting can hurt this kind of host; read why before applying it.";
    case Verdict::Wrong: return "The setting does not do what the advice says it does.";
    case Verdict::OutOfRange: return "The value is outside the range the setting accepts.";
    case Verdict::Obsolete: return "The setting is gone or ignored on current kernels; use its replacement.";
    case Verdict::Nonexistent: return "No kernel or program tune knows has this setting.";
    case Verdict::NotJudged: return "tune could not judge this setting (its value is not known from the text).";
  }
  return "";
}

// "glob-redirect" -> "glob redirect", for a rule's short description.
std::string words(std::string id) {
  for (char& c : id) {
    if (c == '-' || c == '_') c = ' ';
  }
  return id;
}

std::string rule_id(const Finding& finding) {
  switch (finding.kind) {
    case FindingKind::Setting: return std::string("tune.setting.") + verdict_name(finding.verdict);
    case FindingKind::Mechanics: return "tune.mechanics." + finding.rule;
    case FindingKind::Line: return "tune.not-judged." + finding.rule;
  }
  return "tune";
}

nlohmann::json make_rule(const Finding& finding) {
  std::string description;
  switch (finding.kind) {
    case FindingKind::Setting: description = setting_rule_description(finding.verdict); break;
    case FindingKind::Mechanics: description = "How the advice applies a setting: " + words(finding.rule) + "."; break;
    case FindingKind::Line: description = "A line that sets something tune does not judge: " + words(finding.rule) + "."; break;
  }
  return {{"id", rule_id(finding)},
          {"shortDescription", {{"text", description}}},
          {"defaultConfiguration", {{"level", sarif_level(finding.verdict)}}},
          {"properties", {{"kind", finding_kind_name(finding.kind)}}}};
}

std::string setting_name(const AdviceItem& item) {
  if (item.key.empty()) return item.path;
  return item.domain + " " + (item.scope.empty() ? "" : item.scope + " ") + item.key;
}

// The sentence a CI system shows on the line: what was found, why, and what
// tune would write instead.
std::string message_text(const Finding& finding) {
  const AdviceItem& item = finding.item;
  std::string text;
  switch (finding.kind) {
    case FindingKind::Setting:
      text = setting_name(item) + (item.value.empty() ? "" : " = " + item.value) + ": " + verdict_name(finding.verdict);
      if (!finding.message.empty()) text += ". " + finding.message;
      else text += ".";
      if (!finding.modern.empty() && finding.verdict != Verdict::Valid) text += " tune: " + finding.modern;
      break;
    case FindingKind::Mechanics:
      text = finding.message.empty() ? "mechanics " + finding.rule : finding.message;
      if (!finding.modern.empty()) text += " tune: " + finding.modern;
      break;
    case FindingKind::Line:
      text = "Not judged (" + finding.rule + ")" + (finding.message.empty() ? "." : ": " + finding.message);
      break;
  }
  if (!finding.host_note.empty()) text += " This host: " + finding.host_note + ".";
  return text;
}

nlohmann::json make_location(const AdviceItem& item) {
  nlohmann::json physical = {{"artifactLocation", {{"uri", sarif_uri(item.source)}}}};
  // A region needs a start line of at least 1; a finding without a line
  // stays on the file.
  if (item.line >= 1) physical["region"] = {{"startLine", item.line}, {"snippet", {{"text", item.text}}}};
  return nlohmann::json::array({{{"physicalLocation", physical}}});
}

nlohmann::json make_result(const Finding& finding, const std::string& id, size_t index) {
  const AdviceItem& item = finding.item;
  nlohmann::json result = {{"ruleId", id},
                           {"ruleIndex", index},
                           {"level", sarif_level(finding.verdict)},
                           {"message", {{"text", message_text(finding)}}},
                           {"locations", make_location(item)}};
  // SARIF §3.27.9: a result that checked something and found it right is
  // kind "pass", whose level must be "none"; everything else is the default
  // kind, "fail".
  if (finding.kind != FindingKind::Line && finding.verdict == Verdict::Valid) result["kind"] = "pass";
  // Every field tune has, as in --format json; the location says file and line.
  nlohmann::json properties = finding_json(finding);
  properties.erase("file");
  properties.erase("line");
  result["properties"] = std::move(properties);
  return result;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

const char* sarif_level(Verdict verdict) {
  switch (verdict) {
    case Verdict::Wrong:
    case Verdict::OutOfRange:
    case Verdict::Obsolete:
    case Verdict::Nonexistent:
      return "error";
    case Verdict::Risky:
      return "warning";
    case Verdict::Mapped:
    case Verdict::NoEffect:
    case Verdict::NotJudged:
      return "note";
    case Verdict::Valid:
      return "none";
  }
  return "note";
}

std::string sarif_uri(const std::string& path) {
  std::string uri;
  // An absolute path is no relative reference to anything: say it is a file.
  if (!path.empty() && path.front() == '/') uri = "file://";
  for (unsigned char c : path) {
    if (unreserved(c) || c == '/') uri += static_cast<char>(c);
    else uri += fmt::format("%{:02X}", c);
  }
  return uri;
}

nlohmann::json render_sarif(const std::vector<Finding>& findings, const std::string& tool_version) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, size_t> rule_index;  // rule id -> its place in rules[]
  nlohmann::json results = nlohmann::json::array();
  for (const auto& finding : findings) {
    const std::string id = rule_id(finding);
    auto [place, added] = rule_index.emplace(id, rules.size());
    if (added) rules.push_back(make_rule(finding));
    results.push_back(make_result(finding, id, place->second));
  }
  nlohmann::json driver = {{"name", "tune"}, {"rules", rules}};
  if (!tool_version.empty()) driver["version"] = tool_version;
  return {{"$schema", kSchemaUri},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({{{"tool", {{"driver", driver}}}, {"results", results}}})}};
}

}  // namespace tune::audit
