#include "core/profile_variables.h"
#include "core/declare_or_return.h"
#include "core/profile_functions.h"
#include "core/sysfs_paths.h"

#include "util/text.h"

#include <algorithm>

namespace tune {

// profile_values.cpp
std::optional<std::string> check_want_text(const KnowledgeEntry& entry, const Want& want, const std::string& label,
                                           std::vector<std::string>* risky);

namespace {

constexpr int kMaxDepth = 16;
// A value is one setting: variables that multiply it past this are refused
// before they exhaust memory (a few nested "${a}${a}${a}" grow exponentially).
constexpr size_t kMaxExpanded = 64 * 1024;

Result<std::string> expand(const std::string& text, const std::map<std::string, Variable>& variables,
                           const Origin& where, std::vector<std::string>& stack) {
  if (static_cast<int>(stack.size()) > kMaxDepth) {
    return make_error("{}: variables nest more than {} deep: {}", where.str(), kMaxDepth, join(stack, " -> "));
  }
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    if (text.compare(i, 4, "${f:") == 0) {
      // A plan-time function: kept for planning, with the variables in its
      // arguments (and its closing '}', copied as it comes) filled in now.
      out += "${f:";
      i += 4;
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string::npos) return make_error("{}: '${{' without a closing '}}' in '{}'", where.str(), text);
    const std::string name = text.substr(i + 2, close - i - 2);
    if (starts_with(name, "facts.")) {
      if (name.size() == 6) return make_error("{}: ${{facts.}} needs a fact name", where.str());
      out += text.substr(i, close - i + 1);  // filled in when planning, from the host's facts
      i = close + 1;
      continue;
    }
    auto it = variables.find(name);
    if (it == variables.end()) {
      std::vector<std::string> names;
      for (const auto& [known, _] : variables) names.push_back(known);
      std::string message = where.str() + ": no variable '" + name + "'";
      if (auto hint = closest_match(name, names)) message += " (did you mean '" + *hint + "'?)";
      else if (names.empty()) message += " (the profile and its parents define no variables)";
      return Error{message};
    }
    if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
      stack.push_back(name);
      return make_error("{}: variables refer to each other in a cycle: {}", where.str(), join(stack, " -> "));
    }
    stack.push_back(name);
    auto inner = expand(it->second.value, variables, it->second.origin, stack);
    stack.pop_back();
    if (!inner) return inner.error();
    if (out.size() + inner->size() > kMaxExpanded) {
      return make_error("{}: the value grows past 64 KiB once its variables are filled in", where.str());
    }
    out += *inner;
    i = close + 1;
  }
  return out;
}

Status substitute_into(Setting& setting, const std::map<std::string, Variable>& variables) {
  bool changed = false;
  for (auto& value : setting.want.values) {
    if (value.find('$') == std::string::npos) continue;
    TUNE_DECLARE_OR_RETURN(std::string expanded, substitute(value, variables, setting.value_origin));
    changed = changed || expanded != value;
    value = std::move(expanded);
  }
  if (setting.scope.find('$') != std::string::npos) {
    TUNE_DECLARE_OR_RETURN(std::string scope, substitute(setting.scope, variables, setting.origin));
    if (scope.empty() || scope.find_first_of("/ \t") != std::string::npos || scope.find("${") != std::string::npos) {
      return make_error("{}: '{}' gave '{}', which cannot name a unit", setting.origin.str(), setting.scope, scope);
    }
    setting.scope = std::move(scope);
  }
  if (changed) {
    for (const auto& value : setting.want.values) {
      // A variable may hold a ${f:...}; its name and arguments are checked now.
      if (auto error = function_call_error(value)) return make_error("{}: {}", setting.value_origin.str(), *error);
    }
    TUNE_RETURN_IF_ERROR(check_setting(setting, nullptr));
  }
  for (auto& fallback : setting.otherwise) TUNE_RETURN_IF_ERROR(substitute_into(fallback, variables));
  return {};
}

}  // namespace

Result<std::string> substitute(const std::string& text, const std::map<std::string, Variable>& variables,
                               const Origin& where) {
  std::vector<std::string> stack;
  return expand(text, variables, where, stack);
}

const KnowledgeEntry* knowledge_for(const Setting& setting) {
  std::string key = setting.key;
  if (setting.domain == "limits" && (ends_with(key, ".soft") || ends_with(key, ".hard"))) key = key.substr(0, key.size() - 5);
  if (setting.domain == "modules") key = setting.scope + "." + key;  // modules.yaml: MODULE.PARAM
  if (setting.domain == "sysfs") return sysfs_entry(Knowledge::builtin(), key);  // keys are /sys paths
  return Knowledge::builtin().find(setting.domain, key);
}

Status check_setting(const Setting& setting, std::vector<std::string>* warnings) {
  const KnowledgeEntry* entry = knowledge_for(setting);
  if (!entry) return {};
  std::vector<std::string> risky;
  const std::string label = setting.domain + " " + (setting.scope.empty() ? "" : setting.scope + " ") + setting.key;
  if (auto error = check_want_text(*entry, setting.want, label, &risky)) {
    return make_error("{}: {}", setting.value_origin.str(), *error);
  }
  if (warnings) {
    for (const auto& message : risky) warnings->push_back(setting.value_origin.str() + ": " + message);
  }
  return {};
}

Status substitute_variables(Profile& resolved) {
  std::map<std::string, Variable> variables;
  for (const auto& variable : resolved.variables) variables[variable.name] = variable;
  for (auto& setting : resolved.settings) TUNE_RETURN_IF_ERROR(substitute_into(setting, variables));
  return {};
}

}  // namespace tune
