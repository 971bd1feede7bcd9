// Reading the knowledge files and looking settings up in them.
#include "core/knowledge.h"
#include "core/declare_or_return.h"

#include "util/text.h"
#include "util/sysctl_names.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>

namespace tune {

namespace {

struct VerdictName {
  Verdict verdict;
  const char* name;
};
constexpr VerdictName kVerdictNames[] = {
    {Verdict::Valid, "valid"},         {Verdict::Mapped, "mapped"},           {Verdict::NoEffect, "no-effect"},
    {Verdict::Risky, "risky"},         {Verdict::Wrong, "wrong"},             {Verdict::OutOfRange, "out-of-range"},
    {Verdict::Obsolete, "obsolete"},   {Verdict::Nonexistent, "nonexistent"}, {Verdict::NotJudged, "not-judged"},
};

struct TypeName {
  ValueType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {ValueType::Integer, "integer"}, {ValueType::Integers, "integers"}, {ValueType::Enum, "enum"},
    {ValueType::Bool, "bool"},       {ValueType::Size, "size"},         {ValueType::SizeOrPercent, "size-or-percent"},
    {ValueType::Limit, "limit"},     {ValueType::CpuList, "cpulist"},   {ValueType::HexMask, "hexmask"},
    {ValueType::Duration, "duration"}, {ValueType::Word, "word"},       {ValueType::Text, "text"},
    {ValueType::Path, "path"},
};

const std::vector<std::string> kEntryFields = {"what",    "type",     "fields",       "range",  "values", "unit",
                                               "default", "os",       "since",        "removed", "status", "say",
                                               "replacement", "raise_only", "needs_reboot", "paths", "advice",
                                               "never_write"};
const std::vector<std::string> kAdviceFields = {"equals", "below", "above", "verdict", "say", "use"};

std::string where(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? file : file + ":" + std::to_string(mark.line + 1);
}

Error error_at(const std::string& file, const YAML::Node& node, const std::string& message) {
  return Error{where(file, node) + ": " + message};
}

Result<std::vector<std::string>> scalar_list(const std::string& file, const YAML::Node& node, const std::string& what) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    items.push_back(node.Scalar());
    return items;
  }
  if (!node.IsSequence()) return error_at(file, node, what + " must be a value or a list");
  for (const auto& item : node) {
    if (!item.IsScalar()) return error_at(file, item, what + " items must be single values");
    items.push_back(item.Scalar());
  }
  return items;
}

Result<bool> boolean(const std::string& file, const YAML::Node& node, const std::string& what) {
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) return node.Scalar() == "true";
  return error_at(file, node, what + " must be true or false");
}

Result<ValueAdvice> parse_advice(const std::string& file, const YAML::Node& node) {
  if (!node.IsMap()) return error_at(file, node, "advice items must be mappings");
  ValueAdvice advice;
  bool has_verdict = false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string field = it->first.Scalar();
    const YAML::Node value = it->second;
    if (std::find(kAdviceFields.begin(), kAdviceFields.end(), field) == kAdviceFields.end()) {
      return error_at(file, it->first, "unknown advice field '" + field + "'");
    }
    if (field == "equals") {
      TUNE_ASSIGN_OR_RETURN(advice.equals, scalar_list(file, value, "equals"));
      continue;
    }
    if (!value.IsScalar()) return error_at(file, value, field + " must be a single value");
    const std::string text = value.Scalar();
    if (field == "below" || field == "above") {
      if (!is_whole_number(text)) return error_at(file, value, field + " must be a whole number");
      (field == "below" ? advice.below : advice.above) = text;
    } else if (field == "verdict") {
      auto verdict = verdict_from_name(text);
      if (!verdict || *verdict == Verdict::NotJudged) return error_at(file, value, "unknown verdict '" + text + "'");
      advice.verdict = *verdict;
      has_verdict = true;
    } else if (field == "say") {
      advice.say = normalize_spaces(text);
    } else {
      advice.use = text;
    }
  }
  if (!has_verdict) return error_at(file, node, "advice needs a verdict");
  if (advice.equals.empty() && !advice.below && !advice.above) {
    return error_at(file, node, "advice needs equals, below or above");
  }
  if (advice.say.empty()) return error_at(file, node, "advice needs say");
  return advice;
}

Status parse_entry_field(const std::string& file, const std::string& field, const YAML::Node& value,
                         KnowledgeEntry& entry) {
  auto text = [&]() -> Result<std::string> {
    if (!value.IsScalar()) return error_at(file, value, field + " must be a single value");
    return value.Scalar();
  };
  if (field == "what" || field == "say") {
    TUNE_DECLARE_OR_RETURN(std::string s, text());
    (field == "what" ? entry.what : entry.say) = normalize_spaces(s);
  } else if (field == "type") {
    TUNE_DECLARE_OR_RETURN(std::string s, text());
    auto found = std::find_if(std::begin(kTypeNames), std::end(kTypeNames), [&](const TypeName& t) { return s == t.name; });
    if (found == std::end(kTypeNames)) return error_at(file, value, "unknown type '" + s + "'");
    entry.type = found->type;
  } else if (field == "fields") {
    TUNE_DECLARE_OR_RETURN(std::string s, text());
    auto count = parse_integer(s);
    if (!count || *count < 1 || *count > 16) return error_at(file, value, "fields must be 1 to 16");
    entry.fields = static_cast<int>(*count);
  } else if (field == "range") {
    if (!value.IsSequence() || value.size() != 2) return error_at(file, value, "range must be [min, max]");
    for (int i = 0; i < 2; ++i) {
      const std::string bound = value[i].IsScalar() ? value[i].Scalar() : "";
      if (bound == "~" || bound.empty()) continue;
      if (!is_whole_number(bound)) return error_at(file, value, "range bounds must be whole numbers or ~");
      (i == 0 ? entry.min : entry.max) = bound;
    }
  } else if (field == "values") {
    TUNE_ASSIGN_OR_RETURN(entry.values, scalar_list(file, value, "values"));
  } else if (field == "unit") {
    TUNE_ASSIGN_OR_RETURN(entry.unit, text());
  } else if (field == "default") {
    TUNE_ASSIGN_OR_RETURN(entry.default_value, text());
  } else if (field == "os") {
    TUNE_ASSIGN_OR_RETURN(entry.os, scalar_list(file, value, "os"));
    for (const auto& os : entry.os) {
      if (os != "linux" && os != "macos" && os != "windows") return error_at(file, value, "unknown os '" + os + "'");
    }
  } else if (field == "since") {
    TUNE_ASSIGN_OR_RETURN(entry.since, text());
  } else if (field == "removed") {
    TUNE_ASSIGN_OR_RETURN(entry.removed, text());
  } else if (field == "status") {
    TUNE_DECLARE_OR_RETURN(std::string s, text());
    auto verdict = verdict_from_name(s);
    if (!verdict || *verdict == Verdict::NotJudged || *verdict == Verdict::OutOfRange || *verdict == Verdict::NoEffect ||
        *verdict == Verdict::Wrong) {
      return error_at(file, value, "status must be valid, mapped, risky, obsolete or nonexistent");
    }
    entry.status = *verdict;
  } else if (field == "replacement") {
    TUNE_ASSIGN_OR_RETURN(entry.replacement, text());
  } else if (field == "raise_only") {
    TUNE_ASSIGN_OR_RETURN(entry.raise_only, boolean(file, value, field));
  } else if (field == "needs_reboot") {
    TUNE_ASSIGN_OR_RETURN(entry.needs_reboot, boolean(file, value, field));
  } else if (field == "never_write") {
    TUNE_ASSIGN_OR_RETURN(entry.never_write, boolean(file, value, field));
  } else if (field == "paths") {
    TUNE_ASSIGN_OR_RETURN(entry.paths, scalar_list(file, value, "paths"));
  } else if (field == "advice") {
    if (!value.IsSequence()) return error_at(file, value, "advice must be a list");
    for (const auto& item : value) {
      TUNE_DECLARE_OR_RETURN(ValueAdvice advice, parse_advice(file, item));
      entry.advice.push_back(std::move(advice));
    }
  }
  return {};
}

Status parse_file(const std::string& file, const std::string& text, std::vector<KnowledgeEntry>& entries,
                  std::vector<std::string>& facts) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return make_error("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  if (!root.IsMap()) return make_error("{}: a knowledge file is a mapping", file);
  if (root["facts"]) {
    const YAML::Node list = root["facts"];
    if (!list.IsMap()) return error_at(file, list, "facts must map names to descriptions");
    for (auto it = list.begin(); it != list.end(); ++it) facts.push_back(it->first.Scalar());
    return {};
  }
  const YAML::Node domain = root["domain"];
  const YAML::Node settings = root["settings"];
  if (!domain || !domain.IsScalar()) return make_error("{}: needs `domain:`", file);
  if (!settings || !settings.IsMap()) return make_error("{}: needs `settings:` mapping keys to entries", file);
  for (auto it = settings.begin(); it != settings.end(); ++it) {
    KnowledgeEntry entry;
    entry.domain = domain.Scalar();
    entry.key = it->first.Scalar();
    entry.source = where(file, it->first);
    const YAML::Node body = it->second;
    if (!body.IsMap()) return error_at(file, body, entry.key + ": an entry is a mapping");
    for (auto field = body.begin(); field != body.end(); ++field) {
      const std::string name = field->first.Scalar();
      if (std::find(kEntryFields.begin(), kEntryFields.end(), name) == kEntryFields.end()) {
        std::string message = entry.key + ": unknown field '" + name + "'";
        if (auto hint = closest_match(name, kEntryFields)) message += " (did you mean '" + *hint + "'?)";
        return error_at(file, field->first, message);
      }
      TUNE_RETURN_IF_ERROR(parse_entry_field(file, name, field->second, entry));
    }
    if (entry.what.empty()) return error_at(file, it->first, entry.key + ": needs `what`");
    if (entry.status != Verdict::Valid && entry.say.empty()) {
      return error_at(file, it->first, entry.key + ": a key whose status is not valid needs `say`");
    }
    if (entry.type == ValueType::Enum && entry.values.empty()) {
      return error_at(file, it->first, entry.key + ": an enum needs `values`");
    }
    if (entry.domain == "sysctl" && entry.paths.empty()) entry.paths.push_back(sysctl_path_of(entry.key));  // a '*' stays a pattern
    entries.push_back(std::move(entry));
  }
  return {};
}

size_t literal_characters(const std::string& pattern) {
  return static_cast<size_t>(std::count_if(pattern.begin(), pattern.end(), [](char c) { return c != '*'; }));
}

bool is_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}


bool valid_cpulist(const std::string& text) {
  if (text.empty()) return false;
  for (const auto& part : split(text, ',')) {
    auto range = split(part, '-');
    if (range.size() > 2) return false;
    for (const auto& bound : range) {
      if (!is_digits(bound)) return false;
    }
    if (range.size() == 2 && std::stoll(range[0]) > std::stoll(range[1])) return false;
  }
  return true;
}

bool valid_duration(const std::string& text) {
  if (is_whole_number(text)) return true;
  // Go-style durations as Ollama takes them: 30s, 5m, 24h, 1h30m.
  size_t i = 0;
  bool any = false;
  if (i < text.size() && text[i] == '-') ++i;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return false;
    size_t unit = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string suffix = text.substr(unit, i - unit);
    if (suffix != "ns" && suffix != "us" && suffix != "ms" && suffix != "s" && suffix != "m" && suffix != "h") return false;
    any = true;
  }
  return any;
}

std::optional<std::string> range_error(const KnowledgeEntry& entry, const std::string& number) {
  if (entry.min && compare_whole_numbers(number, *entry.min).value_or(0) < 0) {
    return "must be at least " + *entry.min + (entry.max ? " (range " + *entry.min + " to " + *entry.max + ")" : "");
  }
  if (entry.max && compare_whole_numbers(number, *entry.max).value_or(0) > 0) {
    return "must be at most " + *entry.max + (entry.min ? " (range " + *entry.min + " to " + *entry.max + ")" : "");
  }
  return std::nullopt;
}

}  // namespace

const char* verdict_name(Verdict verdict) {
  for (const auto& item : kVerdictNames) {
    if (item.verdict == verdict) return item.name;
  }
  return "unknown";
}

std::optional<Verdict> verdict_from_name(const std::string& name) {
  for (const auto& item : kVerdictNames) {
    if (name == item.name) return item.verdict;
  }
  return std::nullopt;
}

const char* value_type_name(ValueType type) {
  for (const auto& item : kTypeNames) {
    if (item.type == type) return item.name;
  }
  return "text";
}

bool KnowledgeEntry::numeric() const {
  return type == ValueType::Integer || type == ValueType::Integers || type == ValueType::Limit ||
         (type == ValueType::Enum && (min || max));
}

bool is_whole_number(const std::string& text) {
  if (text.empty()) return false;
  size_t start = text[0] == '-' || text[0] == '+' ? 1 : 0;
  return start < text.size() && is_digits(text.substr(start));
}

std::optional<int> compare_whole_numbers(const std::string& a, const std::string& b) {
  if (!is_whole_number(a) || !is_whole_number(b)) return std::nullopt;
  auto split_sign = [](const std::string& s) {
    bool negative = s[0] == '-';
    std::string digits = s.substr(s[0] == '-' || s[0] == '+' ? 1 : 0);
    size_t first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
    if (digits == "0") negative = false;
    return std::make_pair(negative, digits);
  };
  auto [a_negative, a_digits] = split_sign(a);
  auto [b_negative, b_digits] = split_sign(b);
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  int magnitude = 0;
  if (a_digits.size() != b_digits.size()) magnitude = a_digits.size() < b_digits.size() ? -1 : 1;
  else if (a_digits != b_digits) magnitude = a_digits < b_digits ? -1 : 1;
  return a_negative ? -magnitude : magnitude;
}

std::optional<unsigned long long> parse_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return std::nullopt;
  unsigned long long number = std::stoull(text.substr(0, digits));
  std::string suffix = ascii_lower(text.substr(digits));
  if (suffix.size() == 3 && suffix.substr(1) == "ib") suffix = suffix.substr(0, 1);  // "8GiB" == "8G"
  if (suffix.size() == 2 && suffix[1] == 'b') suffix.pop_back();                    // "8GB" == "8G"
  unsigned shift = 0;
  if (suffix.empty() || suffix == "b") shift = 0;
  else if (suffix == "k") shift = 10;
  else if (suffix == "m") shift = 20;
  else if (suffix == "g") shift = 30;
  else if (suffix == "t") shift = 40;
  else return std::nullopt;
  if (shift && number > (~0ull >> shift)) return std::nullopt;
  return number << shift;
}

bool glob_match(const std::string& pattern, const std::string& text, char separator, std::vector<std::string>* captures) {
  // Backtracking over '*'; patterns are short and hold few stars.
  std::vector<std::string> local;
  std::function<bool(size_t, size_t)> match = [&](size_t p, size_t t) -> bool {
    if (p == pattern.size()) return t == text.size();
    if (pattern[p] == '*') {
      const bool deep = p + 1 < pattern.size() && pattern[p + 1] == '*';
      for (size_t end = t; end <= text.size(); ++end) {
        if (!deep && end > t && separator != '\0' && text[end - 1] == separator) break;
        local.push_back(text.substr(t, end - t));
        if (match(deep ? p + 2 : p + 1, end)) return true;
        local.pop_back();
      }
      return false;
    }
    return t < text.size() && pattern[p] == text[t] && match(p + 1, t + 1);
  };
  if (!match(0, 0)) return false;
  if (captures) *captures = std::move(local);
  return true;
}

Result<Knowledge> Knowledge::parse(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<KnowledgeEntry> entries;
  std::vector<std::string> facts;
  for (const auto& [name, text] : files) TUNE_RETURN_IF_ERROR(parse_file(name, text, entries, facts));
  return assemble(std::move(entries), std::move(facts));
}

Result<Knowledge> Knowledge::assemble(std::vector<KnowledgeEntry> entries, std::vector<std::string> facts) {
  Knowledge knowledge;
  knowledge.entries_ = std::move(entries);
  knowledge.facts_ = std::move(facts);
  std::set<std::string> seen;
  for (size_t i = 0; i < knowledge.entries_.size(); ++i) {
    const auto& entry = knowledge.entries_[i];
    if (!seen.insert(entry.domain + ":" + entry.key).second) {
      return make_error("{}: {}:{} is described twice", entry.source, entry.domain, entry.key);
    }
    knowledge.by_domain_[entry.domain].push_back(i);
  }
  for (auto it = knowledge.facts_.begin(); it != knowledge.facts_.end();) {
    if (ends_with(*it, ".")) {
      knowledge.fact_prefixes_.push_back(*it);
      it = knowledge.facts_.erase(it);
    } else {
      ++it;
    }
  }
  return knowledge;
}

const KnowledgeEntry* Knowledge::find(const std::string& domain, const std::string& key) const {
  auto it = by_domain_.find(domain);
  if (it == by_domain_.end()) return nullptr;
  const KnowledgeEntry* best = nullptr;
  size_t best_literal = 0;
  const char separator = domain == "sysctl" ? '.' : '\0';
  for (size_t index : it->second) {
    const KnowledgeEntry& entry = entries_[index];
    if (entry.key == key) return &entry;
    if (entry.key.find('*') == std::string::npos) continue;
    if (!glob_match(entry.key, key, separator)) continue;
    size_t literal = literal_characters(entry.key);
    if (!best || literal > best_literal) {
      best = &entry;
      best_literal = literal;
    }
  }
  return best;
}

const KnowledgeEntry* Knowledge::find_by_path(const std::string& path, std::vector<std::string>* captures) const {
  const KnowledgeEntry* best = nullptr;
  size_t best_literal = 0;
  for (const auto& entry : entries_) {
    for (const auto& pattern : entry.paths) {
      std::vector<std::string> matched;
      if (!glob_match(pattern, path, '/', &matched)) continue;
      size_t literal = literal_characters(pattern);
      if (!best || literal > best_literal) {
        best = &entry;
        best_literal = literal;
        if (captures) *captures = matched;
      }
    }
  }
  return best;
}

std::vector<std::string> Knowledge::keys(const std::string& domain) const {
  std::vector<std::string> keys;
  auto it = by_domain_.find(domain);
  if (it == by_domain_.end()) return keys;
  for (size_t index : it->second) {
    if (entries_[index].key.find('*') == std::string::npos) keys.push_back(entries_[index].key);
  }
  return keys;
}

bool Knowledge::known_fact(const std::string& name) const {
  if (std::find(facts_.begin(), facts_.end(), name) != facts_.end()) return true;
  return std::any_of(fact_prefixes_.begin(), fact_prefixes_.end(),
                     [&](const std::string& prefix) { return starts_with(name, prefix) && name.size() > prefix.size(); });
}

std::vector<std::string> Knowledge::fact_names() const { return facts_; }

std::optional<std::string> Knowledge::check_value(const KnowledgeEntry& entry, const std::string& raw) {
  const std::string value = normalize_spaces(raw);
  if (value.empty()) return "needs a value";
  switch (entry.type) {
    case ValueType::Integer:
      if (!is_whole_number(value)) return "must be a whole number, not '" + value + "'";
      return range_error(entry, value);
    case ValueType::Integers: {
      auto fields = split_whitespace(value);
      if (static_cast<int>(fields.size()) != entry.fields) {
        return "must be " + std::to_string(entry.fields) + " whole numbers separated by spaces, not '" + value + "'";
      }
      for (const auto& field : fields) {
        if (!is_whole_number(field)) return "must be whole numbers, not '" + value + "'";
        if (auto error = range_error(entry, field)) return "each number " + *error;
      }
      return std::nullopt;
    }
    case ValueType::Enum: {
      if (std::find(entry.values.begin(), entry.values.end(), value) != entry.values.end()) return std::nullopt;
      if ((entry.min || entry.max) && is_whole_number(value)) return range_error(entry, value);
      std::string message = "must be one of " + join(entry.values, ", ");
      if (entry.min || entry.max) message += ", or a number from " + entry.min.value_or("?") + " to " + entry.max.value_or("?");
      message += ", not '" + value + "'";
      if (auto hint = closest_match(value, entry.values)) message += " (did you mean '" + *hint + "'?)";
      return message;
    }
    case ValueType::Bool: {
      static const std::vector<std::string> kWords = {"true", "false", "yes", "no", "on", "off", "1", "0"};
      if (std::find(kWords.begin(), kWords.end(), ascii_lower(value)) == kWords.end()) return "must be true or false, not '" + value + "'";
      return std::nullopt;
    }
    case ValueType::Size:
      if (!parse_size(value)) return "must be a size such as 512M or 8G, not '" + value + "'";
      return std::nullopt;
    case ValueType::SizeOrPercent:
      if (ends_with(value, "%")) {
        auto percent = parse_integer(value.substr(0, value.size() - 1));
        if (!percent || *percent < 1 || *percent > 400) return "a percentage must be 1% to 400%, not '" + value + "'";
        return std::nullopt;
      }
      if (!parse_size(value)) return "must be a size such as 4G or a share of RAM such as 50%, not '" + value + "'";
      return std::nullopt;
    case ValueType::Limit: {
      if (value == "unlimited" || value == "infinity") {
        if (entry.max) return "cannot be unlimited: the kernel caps it at " + *entry.max + "; give a number";
        return std::nullopt;
      }
      if (!is_whole_number(value)) return "must be a whole number or unlimited, not '" + value + "'";
      return range_error(entry, value);
    }
    case ValueType::CpuList:
      if (std::find(entry.values.begin(), entry.values.end(), value) != entry.values.end()) return std::nullopt;
      if (!valid_cpulist(value)) return "must be a CPU list such as 0-7,16-23, not '" + value + "'";
      return std::nullopt;
    case ValueType::HexMask:
      for (char c : value) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ',') return "must be a hexadecimal CPU mask such as ff, not '" + value + "'";
      }
      return std::nullopt;
    case ValueType::Duration:
      if (!valid_duration(value)) return "must be seconds or a duration such as 5m or 24h, not '" + value + "'";
      return std::nullopt;
    case ValueType::Word:
      if (value.find(' ') != std::string::npos) return "must be one word, not '" + value + "'";
      return std::nullopt;
    case ValueType::Path:
      if (value.front() != '/') return "must be an absolute path, not '" + value + "'";
      if (value.find("/../") != std::string::npos || ends_with(value, "/..")) return "must not climb with '..'";
      return std::nullopt;
    case ValueType::Text:
      return std::nullopt;
  }
  return std::nullopt;
}

ValueJudgement Knowledge::judge_value(const KnowledgeEntry& entry, const std::string& raw, bool as_lower_bound) {
  const std::string value = normalize_spaces(raw);
  // Advice about a named value first: `noop` is not among a scheduler's
  // values, but tune has something better to say about it than "must be one of".
  for (const auto& advice : entry.advice) {
    bool hit = std::any_of(advice.equals.begin(), advice.equals.end(),
                           [&](const std::string& v) { return normalize_spaces(v) == value; });
    if (hit) return {advice.verdict, advice.say, advice.use};
  }
  if (auto error = check_value(entry, value)) return {Verdict::OutOfRange, *error, ""};
  // Then advice about ranges of valid values (the last field of a multi-number value).
  for (const auto& advice : entry.advice) {
    auto fields = split_whitespace(value);
    if (fields.empty()) break;
    bool hit = (advice.below && !as_lower_bound && compare_whole_numbers(fields.back(), *advice.below).value_or(1) < 0) ||
               (advice.above && compare_whole_numbers(fields.back(), *advice.above).value_or(-1) > 0);
    if (hit) return {advice.verdict, advice.say, advice.use};
  }
  return {Verdict::Valid, "", ""};
}

}  // namespace tune
