// The knowledge base as JSON: written by the build from the YAML files
// (already checked by Knowledge::parse), read by tune at start-up.
#include "core/knowledge.h"

#include <nlohmann/json.hpp>

namespace tune {

using nlohmann::json;

namespace {

json optional_text(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

std::optional<std::string> text_or_null(const json& value) {
  return value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt;
}

json advice_to_json(const ValueAdvice& advice) {
  return {{"equals", advice.equals}, {"below", optional_text(advice.below)}, {"above", optional_text(advice.above)},
          {"verdict", verdict_name(advice.verdict)}, {"say", advice.say}, {"use", advice.use}};
}

// Fields that hold their default are left out: the packed text is parsed
// at every start, and half of it would be empty strings and lists.
json entry_to_json(const KnowledgeEntry& e) {
  json out = {{"domain", e.domain}, {"key", e.key}, {"what", e.what}, {"source", e.source}};
  auto put_text = [&](const char* name, const std::string& value) {
    if (!value.empty()) out[name] = value;
  };
  auto put_list = [&](const char* name, const std::vector<std::string>& value) {
    if (!value.empty()) out[name] = value;
  };
  if (e.type != ValueType::Text) out["type"] = value_type_name(e.type);
  if (e.fields != 1) out["fields"] = e.fields;
  if (e.min) out["min"] = *e.min;
  if (e.max) out["max"] = *e.max;
  put_list("values", e.values);
  put_text("unit", e.unit);
  put_text("default", e.default_value);
  put_list("os", e.os);
  put_text("since", e.since);
  put_text("removed", e.removed);
  if (e.status != Verdict::Valid) out["status"] = verdict_name(e.status);
  put_text("say", e.say);
  put_text("replacement", e.replacement);
  if (e.raise_only) out["raise_only"] = true;
  if (e.needs_reboot) out["needs_reboot"] = true;
  if (e.never_write) out["never_write"] = true;
  put_list("paths", e.paths);
  if (!e.advice.empty()) {
    json advice = json::array();
    for (const auto& a : e.advice) advice.push_back(advice_to_json(a));
    out["advice"] = advice;
  }
  return out;
}

Verdict verdict_of(const json& value) {
  auto verdict = verdict_from_name(value.get<std::string>());
  if (!verdict) throw std::invalid_argument("unknown verdict " + value.dump());
  return *verdict;
}

ValueType type_of(const json& value) {
  const std::string name = value.get<std::string>();
  for (ValueType type : {ValueType::Integer, ValueType::Integers, ValueType::Enum, ValueType::Bool, ValueType::Size,
                         ValueType::SizeOrPercent, ValueType::Limit, ValueType::CpuList, ValueType::HexMask,
                         ValueType::Duration, ValueType::Word, ValueType::Text, ValueType::Path}) {
    if (name == value_type_name(type)) return type;
  }
  throw std::invalid_argument("unknown type " + name);
}

KnowledgeEntry entry_from_json(const json& j) {
  static const json kNull;
  auto field = [&](const char* name) -> const json& {
    auto it = j.find(name);
    return it == j.end() ? kNull : *it;
  };
  auto text = [&](const char* name) { return j.value(name, std::string()); };
  auto list = [&](const char* name) {
    const json& value = field(name);
    return value.is_null() ? std::vector<std::string>() : value.get<std::vector<std::string>>();
  };
  KnowledgeEntry e;
  e.domain = j.at("domain").get<std::string>();
  e.key = j.at("key").get<std::string>();
  e.what = j.at("what").get<std::string>();
  e.source = j.at("source").get<std::string>();
  if (!field("type").is_null()) e.type = type_of(field("type"));
  e.fields = j.value("fields", 1);
  e.min = text_or_null(field("min"));
  e.max = text_or_null(field("max"));
  e.values = list("values");
  e.unit = text("unit");
  e.default_value = text("default");
  e.os = list("os");
  e.since = text("since");
  e.removed = text("removed");
  if (!field("status").is_null()) e.status = verdict_of(field("status"));
  e.say = text("say");
  e.replacement = text("replacement");
  e.raise_only = j.value("raise_only", false);
  e.needs_reboot = j.value("needs_reboot", false);
  e.never_write = j.value("never_write", false);
  e.paths = list("paths");
  const json& advice_list = field("advice");
  for (const auto& a : advice_list.is_null() ? json::array() : advice_list) {
    ValueAdvice advice;
    advice.equals = a.at("equals").get<std::vector<std::string>>();
    advice.below = text_or_null(a.at("below"));
    advice.above = text_or_null(a.at("above"));
    advice.verdict = verdict_of(a.at("verdict"));
    advice.say = a.at("say").get<std::string>();
    advice.use = a.at("use").get<std::string>();
    e.advice.push_back(std::move(advice));
  }
  return e;
}

}  // namespace

std::string Knowledge::pack() const {
  json entries = json::array();
  for (const auto& entry : entries_) entries.push_back(entry_to_json(entry));
  std::vector<std::string> facts = facts_;
  facts.insert(facts.end(), fact_prefixes_.begin(), fact_prefixes_.end());
  return json{{"format", 1}, {"entries", entries}, {"facts", facts}}.dump();
}

Result<Knowledge> Knowledge::unpack(const std::string& text) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return make_error("packed knowledge: not a JSON object");
  std::vector<KnowledgeEntry> entries;
  std::vector<std::string> facts;
  try {
    if (document.at("format").get<int>() != 1) return make_error("packed knowledge: unknown format");
    for (const auto& entry : document.at("entries")) entries.push_back(entry_from_json(entry));
    facts = document.at("facts").get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    return make_error("packed knowledge: {}", e.what());
  }
  return assemble(std::move(entries), std::move(facts));
}

}  // namespace tune
