// The strict YAML reader for profile files.
#include "core/profile.h"

#include "util/text.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace tune {
namespace {

const std::vector<std::string> kTopLevelKeys = {"name", "summary", "extends", "match", "sysctl"};
const std::vector<std::string> kBoundKeys = {"at_least", "at_most", "one_of"};

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  Origin origin(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? Origin{path_, 0, 0} : Origin{path_, mark.line + 1, mark.column + 1};
  }
  Error error_at(const YAML::Node& node, const std::string& message) const {
    return Error{origin(node).str() + ": " + message};
  }

  Result<std::string> scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) return error_at(node, what + " must be a single value");
    return node.Scalar();
  }

  // Walk a mapping's entries in file order, refusing duplicate and unknown keys.
  template <class Visit>
  Status each_entry(const YAML::Node& map, const std::string& what, const std::vector<std::string>* allowed,
                    Visit visit) const {
    if (!map.IsMap()) return error_at(map, what + " must be a mapping of keys to values");
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) return error_at(key, "keys in " + what + " must be plain names");
      const std::string name = key.Scalar();
      if (!seen.insert(name).second) return error_at(key, "duplicate key '" + name + "' in " + what);
      if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
        std::string message = "unknown key '" + name + "' in " + what;
        if (auto hint = closest_match(name, *allowed)) message += " (did you mean '" + *hint + "'?)";
        return error_at(key, message);
      }
      TUNE_RETURN_IF_ERROR(visit(name, key, it->second));
    }
    return {};
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool valid_sysctl_key(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.front() == '/') return false;
  if (key.find("..") != std::string::npos || key.find("//") != std::string::npos) return false;
  for (char c : key) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/' || c == '@' ||
              c == ':' || c == '+';
    if (!ok) return false;
  }
  return true;
}

bool valid_value_text(const std::string& value) { return value.find('\n') == std::string::npos && !trim(value).empty(); }

Result<Want> parse_want(const Reader& reader, const YAML::Node& node, const std::string& key) {
  Want want;
  if (node.IsScalar()) {
    if (!valid_value_text(node.Scalar())) return reader.error_at(node, "sysctl " + key + ": value must be one non-empty line");
    want.values = {node.Scalar()};
    return want;
  }
  if (!node.IsMap()) return reader.error_at(node, "sysctl " + key + ": expected a value or one of at_least, at_most, one_of");
  if (node.size() != 1) return reader.error_at(node, "sysctl " + key + ": give exactly one of at_least, at_most, one_of");
  Status status = reader.each_entry(node, "sysctl " + key, &kBoundKeys,
                                    [&](const std::string& op, const YAML::Node&, const YAML::Node& value) -> Status {
    if (op == "one_of") {
      if (!value.IsSequence() || value.size() == 0) return reader.error_at(value, "one_of needs a non-empty list");
      want.op = Want::Op::OneOf;
      for (const auto& item : value) {
        if (!item.IsScalar() || !valid_value_text(item.Scalar())) return reader.error_at(item, "one_of items must be single values");
        want.values.push_back(item.Scalar());
      }
      return {};
    }
    want.op = op == "at_least" ? Want::Op::AtLeast : Want::Op::AtMost;
    if (!value.IsScalar()) return reader.error_at(value, op + " needs a number");
    for (const auto& field : split_whitespace(value.Scalar())) {
      if (!parse_integer(field)) return reader.error_at(value, op + " needs a whole number, not '" + value.Scalar() + "'");
    }
    if (!valid_value_text(value.Scalar())) return reader.error_at(value, op + " needs a number");
    want.values = {value.Scalar()};
    return {};
  });
  if (!status) return status.error();
  return want;
}

Result<std::vector<Condition>> parse_conditions(const Reader& reader, const YAML::Node& node) {
  std::vector<Condition> conditions;
  Status status = reader.each_entry(node, "when", nullptr,
                                    [&](const std::string& fact, const YAML::Node& key, const YAML::Node& value) -> Status {
    Condition condition{fact, {}, reader.origin(key)};
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
    conditions.push_back(std::move(condition));
    return {};
  });
  if (!status) return status.error();
  return conditions;
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

}  // namespace

Result<Profile> parse_profile(const std::string& text, const std::string& path) {
  Reader reader(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return make_error("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!root.IsMap()) return make_error("{}: a profile must be a mapping (name:, summary:, sysctl:...)", path);

  Profile profile;
  profile.path = path;
  profile.text = text;
  Status status = reader.each_entry(root, "the profile", &kTopLevelKeys,
                                    [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> Status {
    if (key == "name" || key == "summary") {
      auto scalar = reader.scalar(value, key);
      if (!scalar) return scalar.error();
      (key == "name" ? profile.name : profile.summary) = *scalar;
      return {};
    }
    if (key == "extends") {
      if (value.IsScalar()) {
        profile.extends.push_back(value.Scalar());
        return {};
      }
      if (!value.IsSequence()) return reader.error_at(value, "extends must be a profile name or a list of them");
      for (const auto& item : value) {
        if (!item.IsScalar()) return reader.error_at(item, "extends must list profile names");
        profile.extends.push_back(item.Scalar());
      }
      return {};
    }
    if (key == "match") {
      auto rules = parse_match(reader, value);
      if (!rules) return rules.error();
      profile.match = std::move(*rules);
      return {};
    }
    // sysctl
    return reader.each_entry(value, "sysctl", nullptr,
                             [&](const std::string& name, const YAML::Node& key_node, const YAML::Node& setting) -> Status {
      if (!valid_sysctl_key(name)) return reader.error_at(key_node, "'" + name + "' is not a sysctl key");
      auto want = parse_want(reader, setting, name);
      if (!want) return want.error();
      profile.sysctl.push_back({name, std::move(*want), reader.origin(key_node), ""});
      return {};
    });
  });
  if (!status) return status.error();
  if (profile.name.empty()) return make_error("{}: the profile has no name", path);
  for (char c : profile.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return make_error("{}: profile name '{}' may hold only letters, digits, '-' and '_'", path, profile.name);
    }
  }
  for (auto& setting : profile.sysctl) setting.profile = profile.name;
  return profile;
}

}  // namespace tune
