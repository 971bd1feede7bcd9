#include "core/policy.h"

#include "core/profile.h"
#include "util/text.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>

namespace tune {
namespace {

const std::vector<std::string> kTopKeys = {"profile", "leave_alone", "journal_dir", "validation", "services", "hook"};
const std::vector<std::string> kServicesKeys = {"restart"};
const std::vector<std::string> kHookKeys = {"post_install", "profile"};
const std::vector<std::string> kHookActions = {"none", "apply"};
const std::vector<std::string> kValidationKeys = {"max_regression_pct", "repeats", "pairs", "calibration_pairs",
                                                  "confidence_pct", "metrics", "on_inconclusive"};

std::string where(const std::string& path, const toml::source_region& region) {
  if (region.begin.line == 0) return path;
  return path + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column);
}

Error error_at(const std::string& path, const toml::node& node, const std::string& message) {
  return Error{where(path, node.source()) + ": " + message};
}

Status check_keys(const std::string& path, const toml::table& table, const std::vector<std::string>& allowed,
                  const std::string& what) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string message = "unknown key " + quoted_name(name) + " in " + what;
    if (auto hint = closest_match(name, allowed)) message += " (did you mean '" + *hint + "'?)";
    return Error{where(path, key.source()) + ": " + message};
  }
  return {};
}

Result<double> number(const std::string& path, const toml::node& node, const std::string& what, double low, double high) {
  std::optional<double> value;
  if (auto f = node.as_floating_point()) value = f->get();
  else if (auto i = node.as_integer()) value = static_cast<double>(i->get());
  if (!value) return error_at(path, node, what + " must be a number");
  if (*value < low || *value > high) {
    return error_at(path, node, what + " must be from " + fmt::format("{:g}", low) + " to " + fmt::format("{:g}", high));
  }
  return *value;
}

Status parse_validation(const std::string& path, const toml::node& node, ValidationPolicy& validation) {
  const toml::table* table = node.as_table();
  if (!table) return error_at(path, node, "validation must be a table ([validation])");
  TUNE_RETURN_IF_ERROR(check_keys(path, *table, kValidationKeys, "[validation]"));
  if (const toml::node* value = table->get("max_regression_pct")) {
    TUNE_ASSIGN_OR_RETURN(validation.max_regression_pct, number(path, *value, "max_regression_pct", 0, 100));
  }
  auto whole = [&](const char* key, int low, int high, int& out) -> Status {
    const toml::node* value = table->get(key);
    if (!value) return {};
    auto integer = value->as_integer();
    if (!integer || integer->get() < low || integer->get() > high) {
      return error_at(path, *value, fmt::format("{} must be a whole number from {} to {}", key, low, high));
    }
    out = static_cast<int>(integer->get());
    return {};
  };
  TUNE_RETURN_IF_ERROR(whole("repeats", 1, 100, validation.repeats));
  // Six pairs is the fewest for which the signed-rank test gives a 95% interval.
  TUNE_RETURN_IF_ERROR(whole("pairs", 6, 100, validation.pairs));
  TUNE_RETURN_IF_ERROR(whole("calibration_pairs", 0, 100, validation.calibration_pairs));
  if (const toml::node* value = table->get("metrics")) {
    const toml::array* names = value->as_array();
    if (!names || names->empty()) return error_at(path, *value, "metrics must be a list of metric names");
    validation.metrics.clear();
    validation.metrics_set = true;
    for (const toml::node& item : *names) {
      auto name = item.as_string();
      if (!name || !is_validation_metric(name->get())) {
        return error_at(path, item, "metrics: " + not_a_validation_metric(name ? &name->get() : nullptr));
      }
      if (std::find(validation.metrics.begin(), validation.metrics.end(), name->get()) == validation.metrics.end()) {
        validation.metrics.push_back(name->get());
      }
    }
  }
  if (const toml::node* value = table->get("on_inconclusive")) {
    auto choice = value->as_string();
    if (!choice || (choice->get() != "keep" && choice->get() != "rollback")) {
      return error_at(path, *value, "on_inconclusive must be \"keep\" or \"rollback\"");
    }
    validation.rollback_on_inconclusive = choice->get() == "rollback";
  }
  if (const toml::node* value = table->get("confidence_pct")) {
    TUNE_ASSIGN_OR_RETURN(validation.confidence_pct, number(path, *value, "confidence_pct", 50, 99.9));
  }
  return {};
}

bool valid_profile_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

Status parse_hook(const std::string& path, const toml::node& node, HookPolicy& hook) {
  const toml::table* table = node.as_table();
  if (!table) return error_at(path, node, "hook must be a table ([hook])");
  TUNE_RETURN_IF_ERROR(check_keys(path, *table, kHookKeys, "[hook]"));
  if (const toml::node* value = table->get("post_install")) {
    auto action = value->as_string();
    if (!action || std::find(kHookActions.begin(), kHookActions.end(), action->get()) == kHookActions.end()) {
      std::string message = "post_install must be \"none\" or \"apply\"";
      if (action) {
        if (auto hint = closest_match(action->get(), kHookActions)) message += " (did you mean '" + *hint + "'?)";
      }
      return error_at(path, *value, message);
    }
    hook.apply_on_install = action->get() == "apply";
  }
  if (const toml::node* value = table->get("profile")) {
    auto name = value->as_string();
    if (!name || !valid_profile_name(name->get())) {
      return error_at(path, *value, "profile must be \"auto\" or a profile name (letters, digits, '-', '_')");
    }
    hook.profile = name->get();
  }
  return {};
}

}  // namespace

Result<Policy> parse_policy(const std::string& text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return make_error("{}: {}", where(path, e.source()), std::string(e.description()));
  }
  Policy policy;
  policy.source = path;
  TUNE_RETURN_IF_ERROR(check_keys(path, root, kTopKeys, "tune.toml"));
  if (const toml::node* node = root.get("profile")) {
    auto name = node->as_string();
    if (!name || !valid_profile_name(name->get())) {
      return error_at(path, *node, "profile must be \"auto\" or a profile name (letters, digits, '-', '_')");
    }
    policy.profile = name->get();
  }
  if (const toml::node* node = root.get("leave_alone")) {
    const toml::array* list = node->as_array();
    if (!list) return error_at(path, *node, "leave_alone must be a list of domains, such as [\"boot\", \"services\"]");
    for (const auto& item : *list) {
      auto domain = item.as_string();
      if (!domain) return error_at(path, item, "leave_alone lists domain names");
      const auto& domains = profile_domains();
      if (std::find(domains.begin(), domains.end(), domain->get()) == domains.end()) {
        std::string message = "leave_alone: '" + domain->get() + "' is not a domain (" + join(domains, ", ") + ")";
        if (auto hint = closest_match(domain->get(), domains)) message += " (did you mean '" + *hint + "'?)";
        return error_at(path, item, message);
      }
      policy.leave_alone.push_back(domain->get());
    }
  }
  if (const toml::node* node = root.get("journal_dir")) {
    auto dir = node->as_string();
    if (!dir || dir->get().empty() || dir->get().front() != '/' || dir->get().find("..") != std::string::npos) {
      return error_at(path, *node, "journal_dir must be an absolute path without '..'");
    }
    policy.journal_dir = dir->get();
  }
  if (const toml::node* node = root.get("validation")) TUNE_RETURN_IF_ERROR(parse_validation(path, *node, policy.validation));
  if (const toml::node* node = root.get("hook")) TUNE_RETURN_IF_ERROR(parse_hook(path, *node, policy.hook));
  if (const toml::node* node = root.get("services")) {
    auto* table = node->as_table();
    if (!table) return error_at(path, *node, "services must be a table ([services])");
    TUNE_RETURN_IF_ERROR(check_keys(path, *table, kServicesKeys, "[services]"));
    if (const toml::node* restart = table->get("restart")) {
      auto value = restart->as_string();
      if (!value || (value->get() != "on-change" && value->get() != "never")) {
        return error_at(path, *restart, "restart must be \"on-change\" or \"never\"");
      }
      policy.restart_services = value->get();
    }
  }
  return policy;
}

Result<Policy> load_policy(const System& system, const std::string& path) {
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists) return Policy{};
  auto text = system.read_file(path);
  if (!text) return text.error();
  return parse_policy(*text, path);
}

std::string hook_profile(const Policy& policy) {
  return policy.hook.profile.empty() ? policy.profile : policy.hook.profile;
}

const std::vector<std::string>& validation_metric_names() {
  static const std::vector<std::string> names = {
      "decode_tokens_per_s", "prefill_tokens_per_s", "ttft_ms",       "itl_p50_ms",
      "itl_p95_ms",          "itl_p99_ms",           "decode_bandwidth_gbs", "prefill_gflops"};
  return names;
}

bool is_validation_metric(const std::string& name) {
  const auto& known = validation_metric_names();
  return std::find(known.begin(), known.end(), name) != known.end();
}

std::string not_a_validation_metric(const std::string* name) {
  const auto& known = validation_metric_names();
  std::string message = (name ? quoted_name(*name) : std::string("a non-name")) + " is not a metric a validation can decide on";
  if (auto hint = name ? closest_match(*name, known) : std::nullopt) return message + " (did you mean '" + *hint + "'?)";
  return message + " (" + join(known, ", ") + ")";
}

}  // namespace tune
