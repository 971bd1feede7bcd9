// The strict YAML reader for profile files: the top level (name, summary,
// extends, match, variables) and the dispatch to domain sections.
#include "core/policy.h"
#include "core/profile_reader.h"
#include "core/yaml_guard.h"

#include <algorithm>
#include <cctype>

namespace tune {
namespace {

std::vector<std::string> top_level_keys() {
  std::vector<std::string> keys = {"name", "summary", "extends", "match", "variables", "validate_on"};
  for (const auto& domain : profile_domains()) keys.push_back(domain);
  return keys;
}

// validate_on: [itl_p99_ms, decode_tokens_per_s]: names tune bench measures.
Result<std::vector<std::string>> parse_validate_on(const Reader& reader, const YAML::Node& node) {
  if (!node.IsSequence() || node.size() == 0) return reader.error_at(node, "validate_on must be a list of metric names");
  std::vector<std::string> names;
  for (const auto& item : node) {
    const std::string name = item.IsScalar() ? item.Scalar() : "";
    if (!item.IsScalar() || !is_validation_metric(name)) {
      return reader.error_at(item, "validate_on: " + not_a_validation_metric(item.IsScalar() ? &name : nullptr));
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

Result<std::vector<MatchRule>> parse_match(const Reader& reader, const YAML::Node& node) {
  if (!node.IsSequence()) return reader.error_at(node, "match must be a list of rules");
  static const std::vector<std::string> kRuleKeys = {"when", "score"};
  std::vector<MatchRule> rules;
  for (const auto& item : node) {
    MatchRule rule;
    rule.origin = reader.origin(item);
    bool has_score = false;
    Status status = reader.each_entry(item, "a match rule", &kRuleKeys,
                                      [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
      if (key == "score") {
        auto score = value.IsScalar() ? parse_integer(value.Scalar()) : std::nullopt;
        if (!score || *score < 0 || *score > 1000) return reader.error_at(value, "score must be a whole number from 0 to 1000");
        rule.score = static_cast<int>(*score);
        has_score = true;
        return {};
      }
      auto conditions = parse_conditions(reader, value);
      if (!conditions) return conditions.error();
      rule.when = std::move(*conditions);
      return {};
    });
    if (!status) return status.error();
    if (!has_score) return reader.error_at(item, "a match rule needs a score");
    rules.push_back(std::move(rule));
  }
  return rules;
}

bool valid_variable_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  if (name == "facts") return false;  // ${facts.X} names a host fact
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

Status parse_variables(const Reader& reader, const YAML::Node& node, Profile& profile) {
  return reader.each_entry(node, "variables", nullptr,
                           [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) -> Status {
    if (!valid_variable_name(name)) {
      return reader.error_at(key, "variable name '" + name + "' must be lowercase letters, digits and _ (and not 'facts')");
    }
    auto text = reader.scalar(value, "variable " + name);
    if (!text) return text.error();
    if (text->find('\n') != std::string::npos) return reader.error_at(value, "variable " + name + " must be one line");
    if (!is_plain_text(*text)) {
      return reader.error_at(value, "variable " + name + " must be UTF-8 text without control characters");
    }
    profile.variables.push_back({name, *text, reader.origin(key), ""});
    return {};
  });
}

Result<std::vector<std::string>> parse_extends(const Reader& reader, const YAML::Node& value) {
  std::vector<std::string> parents;
  if (value.IsScalar()) {
    parents.push_back(value.Scalar());
  } else if (value.IsSequence()) {
    for (const auto& item : value) {
      if (!item.IsScalar() || item.Scalar().empty()) return reader.error_at(item, "extends must list profile names");
      parents.push_back(item.Scalar());
    }
  } else {
    return reader.error_at(value, "extends must be a profile name or a list of them");
  }
  for (size_t i = 0; i < parents.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (parents[i] == parents[j]) return reader.error_at(value, "extends lists '" + parents[i] + "' twice");
    }
  }
  return parents;
}

}  // namespace

Result<Profile> parse_profile(const std::string& text, const std::string& path) {
  if (auto refused = refuse_hostile_yaml(text)) return make_error("{}: {}", path, *refused);
  Profile profile;
  Reader reader(path, &profile.warnings);
  YAML::Node root;
  try {
    // One document: a second one after "---" would be ignored silently otherwise.
    FirstYamlDocument document = load_first_yaml_document(text);
    if (document.has_more) return make_error("{}: holds more than one YAML document; a profile is one", path);
    root = document.root;
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return make_error("{}: {}", path, one_line(e.msg));
    return make_error("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, one_line(e.msg));
  }
  if (!root.IsMap()) return make_error("{}: a profile must be a mapping (name:, summary:, sysctl:...)", path);

  profile.path = path;
  profile.text = text;
  const std::vector<std::string> keys = top_level_keys();
  Status status;
  try {
    status = reader.each_entry(root, "the profile", &keys,
                               [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
      if (key == "name" || key == "summary") {
        auto scalar = reader.scalar(value, key);
        if (!scalar) return scalar.error();
        (key == "name" ? profile.name : profile.summary) = *scalar;
        return {};
      }
      if (key == "extends") {
        auto parents = parse_extends(reader, value);
        if (!parents) return parents.error();
        profile.extends = std::move(*parents);
        return {};
      }
      if (key == "match") {
        auto rules = parse_match(reader, value);
        if (!rules) return rules.error();
        profile.match = std::move(*rules);
        return {};
      }
      if (key == "variables") return parse_variables(reader, value, profile);
      if (key == "validate_on") {
        auto names = parse_validate_on(reader, value);
        if (!names) return names.error();
        profile.validate_on = std::move(*names);
        return {};
      }
      return parse_section(reader, key, value, profile);
    });
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports some malformed documents only while they are walked.
    return make_error("{}: {}", path, one_line(e.msg));
  }
  if (!status) return status.error();
  if (profile.name.empty()) return make_error("{}: the profile has no name", path);
  for (char c : profile.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return make_error("{}: profile name '{}' may hold only letters, digits, '-' and '_'", path, one_line(profile.name));
    }
  }
  for (auto& setting : profile.settings) setting.profile = profile.name;
  for (auto& variable : profile.variables) variable.profile = profile.name;
  return profile;
}

}  // namespace tune
