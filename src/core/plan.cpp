#include "core/plan.h"

#include "core/policy.h"
#include "util/text.h"


#include <nlohmann/json.hpp>

namespace tune {

using nlohmann::json;

size_t Plan::pending() const {
  size_t count = 0;
  for (const auto& change : changes) count += change.action != Action::None;
  return count;
}

namespace {

json optional_text(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

json change_to_json(const Change& change) {
  json out = {
      {"domain", change.domain},
      {"target", change.target},
      {"action", action_name(change.action)},
      {"before", optional_text(change.before)},
      {"after", optional_text(change.after)},
      {"persistence", persistence_name(change.persistence)},
      {"needs_reboot", change.needs_reboot},
      {"reversible", change.reversible},
      {"reason", change.reason},
  };
  if (change.mode != 0) out["mode"] = change.mode;
  if (!change.note.empty()) out["note"] = change.note;
  return out;
}

// Reads typed fields out of one JSON object, naming the field on failure.
class Fields {
 public:
  Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  bool is_object() const { return object_.is_object(); }
  const std::string& where() const { return where_; }

  Result<std::string> text(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || !it->is_string()) return make_error("{}.{}: expected a string", where_, key);
    return it->get<std::string>();
  }
  Result<std::optional<std::string>> text_or_null(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return std::optional<std::string>();
    if (!it->is_string()) return make_error("{}.{}: expected a string or null", where_, key);
    return std::optional<std::string>(it->get<std::string>());
  }
  bool flag(const char* key, bool fallback) const {
    auto it = object_.find(key);
    return it != object_.end() && it->is_boolean() ? it->get<bool>() : fallback;
  }
  const json& raw(const char* key) const {
    static const json kNull;
    auto it = object_.find(key);
    return it == object_.end() ? kNull : *it;
  }

 private:
  const json& object_;
  std::string where_;
};

Result<Change> change_from_json(const json& object, const std::string& where) {
  Fields fields(object, where);
  if (!fields.is_object()) return make_error("{}: expected an object", where);
  Change change;
  std::string action;
  std::string persistence;
  TUNE_ASSIGN_OR_RETURN(change.domain, fields.text("domain"));
  TUNE_ASSIGN_OR_RETURN(change.target, fields.text("target"));
  TUNE_ASSIGN_OR_RETURN(action, fields.text("action"));
  TUNE_ASSIGN_OR_RETURN(change.before, fields.text_or_null("before"));
  TUNE_ASSIGN_OR_RETURN(change.after, fields.text_or_null("after"));
  TUNE_ASSIGN_OR_RETURN(persistence, fields.text("persistence"));
  TUNE_ASSIGN_OR_RETURN(change.reason, fields.text("reason"));
  if (!fields.raw("note").is_null()) TUNE_ASSIGN_OR_RETURN(change.note, fields.text("note"));
  auto parsed_action = action_from_name(action);
  if (!parsed_action) return make_error("{}.action: unknown action '{}'", where, action);
  change.action = *parsed_action;
  auto parsed_persistence = persistence_from_name(persistence);
  if (!parsed_persistence) return make_error("{}.persistence: unknown persistence '{}'", where, persistence);
  change.persistence = *parsed_persistence;
  change.needs_reboot = fields.flag("needs_reboot", false);
  change.reversible = fields.flag("reversible", true);
  const json& mode = fields.raw("mode");
  if (mode.is_number_unsigned()) {
    if (mode.get<uint64_t>() > 07777) return make_error("{}.mode: not a file mode", where);
    change.mode = mode.get<uint32_t>();
  }
  // A saved plan is input: no control byte may reach a file tune writes or a
  // reviewer's terminal. A file's text keeps its line breaks and tabs.
  for (const std::string* text : {&change.domain, &change.target, &change.reason, &change.note}) {
    if (has_control_bytes(*text, false)) return make_error("{}: control characters in '{}'", where, printable_line(*text));
  }
  for (const auto* state : {&change.before, &change.after}) {
    if (*state && has_control_bytes(**state, change.domain == "file")) {
      return make_error("{} {}: control characters in a value", where, printable_line(change.target));
    }
  }
  return change;
}

Result<Skip> skip_from_json(const json& object, const std::string& where) {
  Fields fields(object, where);
  if (!fields.is_object()) return make_error("{}: expected an object", where);
  Skip skip;
  TUNE_ASSIGN_OR_RETURN(skip.domain, fields.text("domain"));
  TUNE_ASSIGN_OR_RETURN(skip.target, fields.text("target"));
  TUNE_ASSIGN_OR_RETURN(skip.wanted, fields.text("wanted"));
  TUNE_ASSIGN_OR_RETURN(skip.reason, fields.text("reason"));
  TUNE_ASSIGN_OR_RETURN(skip.origin, fields.text("origin"));
  return skip;
}

}  // namespace

json plan_to_json(const Plan& plan) {
  json changes = json::array();
  for (const auto& change : plan.changes) changes.push_back(change_to_json(change));
  json skipped = json::array();
  for (const auto& skip : plan.skipped) {
    skipped.push_back({{"domain", skip.domain},
                       {"target", skip.target},
                       {"wanted", skip.wanted},
                       {"reason", skip.reason},
                       {"origin", skip.origin}});
  }
  return {
      {"format", Plan::kFormat},
      {"kind", "tune-plan"},
      {"created_at", plan.created_at},
      {"tune_version", plan.tune_version},
      {"profile", plan.profile},
      {"profile_digest", plan.profile_digest},
      {"host", {{"hostname", plan.host.hostname}, {"machine_id", plan.host.machine_id}, {"kernel", plan.host.kernel}}},
      {"changes", changes},
      {"skipped", skipped},
      {"warnings", plan.warnings},
      {"validate_on", plan.validate_on},
  };
}

Result<Plan> plan_from_json(const json& document) {
  Fields top(document, "plan");
  if (!top.is_object()) return make_error("plan: expected a JSON object");
  auto kind = top.text("kind");
  if (!kind || *kind != "tune-plan") return make_error("plan: not a tune plan (missing \"kind\": \"tune-plan\")");
  const json& format = top.raw("format");
  if (!format.is_number_integer() || format.get<int>() != Plan::kFormat) {
    return make_error("plan: unsupported format {} (this tune reads format {})", format.dump(), Plan::kFormat);
  }
  Plan plan;
  TUNE_ASSIGN_OR_RETURN(plan.created_at, top.text("created_at"));
  TUNE_ASSIGN_OR_RETURN(plan.tune_version, top.text("tune_version"));
  TUNE_ASSIGN_OR_RETURN(plan.profile, top.text("profile"));
  TUNE_ASSIGN_OR_RETURN(plan.profile_digest, top.text("profile_digest"));
  // Optional: plans saved before profiles could name their deciding metrics lack it.
  if (document.contains("validate_on")) {
    const json& names = document["validate_on"];
    if (!names.is_array()) return make_error("plan.validate_on: expected an array of metric names");
    for (const auto& name : names) {
      if (!name.is_string() || !is_validation_metric(name.get<std::string>())) {
        return make_error("plan.validate_on: not a metric a validation can decide on");
      }
      plan.validate_on.push_back(name.get<std::string>());
    }
  }
  Fields host(top.raw("host"), "plan.host");
  if (!host.is_object()) return make_error("plan.host: expected an object");
  TUNE_ASSIGN_OR_RETURN(plan.host.hostname, host.text("hostname"));
  TUNE_ASSIGN_OR_RETURN(plan.host.machine_id, host.text("machine_id"));
  TUNE_ASSIGN_OR_RETURN(plan.host.kernel, host.text("kernel"));
  const json& changes = top.raw("changes");
  if (!changes.is_array()) return make_error("plan.changes: expected an array");
  for (size_t i = 0; i < changes.size(); ++i) {
    Change change;
    TUNE_ASSIGN_OR_RETURN(change, change_from_json(changes[i], fmt::format("plan.changes[{}]", i)));
    plan.changes.push_back(std::move(change));
  }
  const json& skipped = top.raw("skipped");
  if (!skipped.is_null()) {
    if (!skipped.is_array()) return make_error("plan.skipped: expected an array");
    for (size_t i = 0; i < skipped.size(); ++i) {
      Skip skip;
      TUNE_ASSIGN_OR_RETURN(skip, skip_from_json(skipped[i], fmt::format("plan.skipped[{}]", i)));
      plan.skipped.push_back(std::move(skip));
    }
  }
  const json& warnings = top.raw("warnings");
  if (warnings.is_array()) {
    for (const auto& warning : warnings) {
      if (!warning.is_string()) return make_error("plan.warnings: expected strings");
      plan.warnings.push_back(warning.get<std::string>());
    }
  }
  return plan;
}

Result<Plan> plan_from_text(const std::string& text, const std::string& source) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) return make_error("{}: not valid JSON", source);
  auto plan = plan_from_json(document);
  if (!plan) return with_context(source, plan.error());
  return plan;
}

}  // namespace tune
