// Setting values and `when` conditions: their YAML forms and their checks
// against the knowledge base.
#include "core/profile_reader.h"

#include "core/profile_functions.h"
#include "core/recommend.h"

namespace tune {
namespace {

const std::vector<std::string> kValueKeys = {"value", "at_least", "at_most", "one_of", "when", "unchecked"};
const std::vector<std::string> kOperatorKeys = {"value", "at_least", "at_most", "one_of"};
const char* const kComparisons[] = {">=", "<=", "!=", ">", "<"};

// One line of text without control bytes: what every value becomes in a file tune writes.
bool single_line(const std::string& value) {
  return value.find('\n') == std::string::npos && !trim(value).empty() && is_plain_text(value);
}

bool has_variable(const std::string& value) { return value.find("${") != std::string::npos; }

// ${f:NAME:...} in a value names a function tune has, with as many arguments as it takes.
Status check_function_calls(const ParsedValue& parsed, const std::string& label) {
  for (const auto& value : parsed.want.values) {
    if (value.find("${f:") == std::string::npos) continue;
    if (auto error = function_call_error(value)) return Error{parsed.origin.str() + ": " + one_line(label + ": " + *error)};
  }
  return {};
}

// One alternative of a condition: an operator needs a number, except != ;
// ~ and !~ need a regular expression std::regex reads.
std::optional<std::string> condition_error(const std::string& alternative) {
  if (auto regex = regex_alternative(alternative)) {
    if (regex->pattern.empty()) return "'" + alternative + "' needs a regular expression after the '~'";
    if (auto error = regex_error_of(regex->pattern)) return "'" + alternative + "': " + *error;
    return std::nullopt;
  }
  for (const char* op : kComparisons) {
    if (!starts_with(alternative, op)) continue;
    std::string operand = trim(alternative.substr(std::string(op).size()));
    if (operand.empty()) return std::string("'") + op + "' needs something to compare with";
    if (std::string(op) != "!=" && !parse_number(operand)) {
      return std::string("'") + op + "' compares numbers, not '" + operand + "'";
    }
    return std::nullopt;
  }
  if (trim(alternative).empty()) return std::string("an empty condition never holds");
  return std::nullopt;
}

}  // namespace

bool is_value_mapping(const YAML::Node& node) {
  if (!node.IsMap() || node.size() == 0) return false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) return false;
    if (std::find(kValueKeys.begin(), kValueKeys.end(), it->first.Scalar()) == kValueKeys.end()) return false;
  }
  return true;
}

Result<std::vector<Condition>> parse_conditions(const Reader& reader, const YAML::Node& node) {
  std::vector<Condition> conditions;
  const Knowledge& knowledge = reader.knowledge();
  Status status = reader.each_entry(node, "when", nullptr,
                                    [&](const std::string& fact, const YAML::Node& key, const YAML::Node& value) -> Status {
    Condition condition{fact, {}, reader.origin(key)};
    if (!knowledge.known_fact(fact)) {
      if (auto hint = closest_match(fact, knowledge.fact_names())) {
        return reader.error_at(key, "unknown fact '" + fact + "' (did you mean '" + *hint + "'?)");
      }
      // Detection grows; a fact tune does not know yet is allowed, but a
      // condition on it holds nowhere until tune detects it.
      reader.warn_at(condition.origin, "fact '" + fact + "' is not one tune detects (see docs/FACTS.md); this condition never holds");
    }
    if (value.IsScalar()) {
      condition.alternatives.push_back(value.Scalar());
    } else if (value.IsSequence() && value.size() > 0) {
      for (const auto& item : value) {
        if (!item.IsScalar()) return reader.error_at(item, "conditions on '" + fact + "' must be single values");
        condition.alternatives.push_back(item.Scalar());
      }
    } else {
      return reader.error_at(value, "condition on '" + fact + "' must be a value or a list of values");
    }
    for (const auto& alternative : condition.alternatives) {
      if (auto error = condition_error(alternative)) return reader.error_at(value, "condition on '" + fact + "': " + *error);
    }
    conditions.push_back(std::move(condition));
    return {};
  });
  if (!status) return status.error();
  return conditions;
}

Result<ParsedValue> parse_value(const Reader& reader, const YAML::Node& node, const std::string& label) {
  ParsedValue parsed;
  parsed.origin = reader.origin(node);
  if (node.IsNull()) return reader.error_at(node, label + " needs a value");
  if (node.IsScalar()) {
    if (!is_plain_text(node.Scalar())) {
      // A NUL or an escape would land in a file tune writes, or hide text from
      // the reviewer; stray bytes come back changed from a YAML writer.
      return reader.error_at(node, label + ": a value must be UTF-8 text without control characters (" +
                                       printable_line(node.Scalar()).substr(0, 60) + ")");
    }
    if (!single_line(node.Scalar())) return reader.error_at(node, label + ": a value must be one non-empty line");
    parsed.want.values = {node.Scalar()};
    TUNE_RETURN_IF_ERROR(check_function_calls(parsed, label));
    return parsed;
  }
  if (node.IsSequence()) {
    return reader.error_at(node, label + ": a list of alternatives is written { one_of: [...] }");
  }
  if (!node.IsMap()) return reader.error_at(node, label + ": expected a value or { value | at_least | at_most | one_of }");
  int operators = 0;
  Status status = reader.each_entry(node, label, &kValueKeys,
                                    [&](const std::string& op, const YAML::Node&, const YAML::Node& value) -> Status {
    if (op == "when") {
      auto conditions = parse_conditions(reader, value);
      if (!conditions) return conditions.error();
      parsed.when = std::move(*conditions);
      return {};
    }
    if (op == "unchecked") {
      if (!value.IsScalar() || (value.Scalar() != "true" && value.Scalar() != "false")) {
        return reader.error_at(value, "unchecked must be true or false");
      }
      parsed.unchecked = value.Scalar() == "true";
      return {};
    }
    ++operators;
    parsed.origin = reader.origin(value);
    if (op == "one_of") {
      if (!value.IsSequence() || value.size() == 0) return reader.error_at(value, label + ": one_of needs a non-empty list");
      parsed.want.op = Want::Op::OneOf;
      for (const auto& item : value) {
        if (!item.IsScalar() || !single_line(item.Scalar())) {
          return reader.error_at(item, label + ": one_of items must be single values");
        }
        parsed.want.values.push_back(item.Scalar());
      }
      return {};
    }
    if (!value.IsScalar() || !single_line(value.Scalar())) return reader.error_at(value, label + ": " + op + " needs one value");
    parsed.want.op = op == "value" ? Want::Op::Exact : op == "at_least" ? Want::Op::AtLeast : Want::Op::AtMost;
    parsed.want.values = {value.Scalar()};
    if (op != "value" && !has_variable(value.Scalar())) {
      for (const auto& field : split_whitespace(value.Scalar())) {
        if (!is_whole_number(field) && field != "unlimited" && field != "infinity") {
          return reader.error_at(value, label + ": " + op + " needs a whole number, not '" + value.Scalar() + "'");
        }
      }
    }
    return {};
  });
  if (!status) return status.error();
  if (operators != 1) {
    return reader.error_at(node, label + ": give exactly one of value, at_least, at_most, one_of");
  }
  TUNE_RETURN_IF_ERROR(check_function_calls(parsed, label));
  return parsed;
}

std::optional<std::string> check_want_text(const KnowledgeEntry& entry, const Want& want, const std::string& label,
                                           std::vector<std::string>* risky) {
  if ((want.op == Want::Op::AtLeast || want.op == Want::Op::AtMost) && !entry.numeric()) {
    return label + ": " + want_op_name(want.op) + " needs a setting that takes numbers; " + entry.key + " takes " +
           value_type_name(entry.type) + " values";
  }
  for (const auto& value : want.values) {
    if (has_variable(value)) continue;  // checked once substituted
    ValueJudgement judgement = Knowledge::judge_value(entry, value, want.op == Want::Op::AtLeast);
    switch (judgement.verdict) {
      case Verdict::Valid:
      case Verdict::NoEffect:  // asking for the default is harmless
        break;
      case Verdict::Risky:
        if (risky) risky->push_back("risky: " + label + " = " + normalize_spaces(value) + ": " + judgement.message);
        break;
      case Verdict::Mapped:
        // Scheduler names are the one mapping a backend makes itself: each
        // device is asked for the name its kernel uses (noop on a legacy
        // kernel, none on blk-mq), and the plan shows it. Elsewhere the old
        // form is refused with the modern one.
        if (entry.domain == "block" && entry.key == "scheduler" && !judgement.use.empty()) {
          if (risky) {
            risky->push_back("old name: " + label + " = " + normalize_spaces(value) + ": " + judgement.message + " Each device is asked for " +
                             judgement.use + " under the name its kernel uses; write '" + judgement.use + "'.");
          }
          break;
        }
        return label + ": '" + normalize_spaces(value) + "': " + judgement.message +
               (judgement.use.empty() ? "" : " Write '" + judgement.use + "'.");
      case Verdict::OutOfRange:
        return label + " " + judgement.message;
      case Verdict::Obsolete:
      case Verdict::Nonexistent:
      case Verdict::Wrong:
      case Verdict::NotJudged:
        return label + ": '" + normalize_spaces(value) + "': " + judgement.message;
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_want(const Reader& reader, const KnowledgeEntry& entry, const Want& want,
                                      const std::string& label, const Origin& where) {
  std::vector<std::string> risky;
  auto error = check_want_text(entry, want, label, &risky);
  for (const auto& message : risky) reader.warn_at(where, message);
  return error;
}

}  // namespace tune
