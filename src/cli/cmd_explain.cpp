// tune explain KEY: the knowledge base's entry for a setting, so an audit
// verdict or a plan line can be looked up: what it does, its type, range and
// default, its value on this host, the advice about particular values (the
// stale and wrong ones first), and which profiles set it and why.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/knowledge_query.h"
#include "core/profile_comments.h"
#include "core/profile_variables.h"
#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace tune::cli {
namespace {

// A profile that writes the setting, and the comment it gives as the reason.
struct ProfileUse {
  std::string profile;
  std::string target;  // "nvme/scheduler", "*/nofile.soft", "vm.swappiness"
  std::string value;   // "10", "at least 65535"
  std::vector<std::string> when;
  std::string from;    // file:line:col
  std::string why;
  std::vector<std::string> inherited_by;  // profiles that get it through `extends` without overriding it
};

std::string bold(const Style& style, const std::string& text) { return paint(style, "\033[1m", text); }
std::string warn(const Style& style, const std::string& text) { return paint(style, "\033[33m", text); }

std::string range_text(const KnowledgeEntry& entry) {
  if (!entry.min && !entry.max) return "";
  return fmt::format("{} to {}", entry.min.value_or("-inf"), entry.max ? *entry.max : "no limit");
}

std::string advice_condition(const ValueAdvice& advice) {
  std::vector<std::string> parts;
  if (!advice.equals.empty()) parts.push_back(join(advice.equals, " or "));
  if (advice.below) parts.push_back("below " + *advice.below);
  if (advice.above) parts.push_back("above " + *advice.above);
  return join(parts, ", ");
}

// Advice that calls a value wrong, stale or risky comes first: that is what
// someone looking up an audit verdict wants to read.
std::vector<const ValueAdvice*> ordered_advice(const KnowledgeEntry& entry) {
  std::vector<const ValueAdvice*> advice;
  for (const auto& a : entry.advice) advice.push_back(&a);
  std::stable_sort(advice.begin(), advice.end(), [](const ValueAdvice* a, const ValueAdvice* b) {
    return (a->verdict != Verdict::Valid) > (b->verdict != Verdict::Valid);
  });
  return advice;
}

std::vector<ProfileUse> profile_uses(Context& context, const KnowledgeEntry& entry, std::vector<Error>& errors) {
  std::vector<ProfileUse> uses;
  const ProfileStore store = context.profiles();
  auto listing = store.list();
  errors = listing.errors;
  for (const Profile& profile : listing.profiles) {
    for (const Setting& setting : profile.settings) {
      if (knowledge_for(setting) != &entry) continue;
      ProfileUse use;
      use.profile = profile.name;
      use.target = setting.target();
      use.value = setting.want.describe();
      for (const auto& condition : setting.when) use.when.push_back(condition.describe());
      use.from = setting.origin.str();
      use.why = comment_for_line(profile.text, setting.origin.line);
      uses.push_back(std::move(use));
    }
  }
  // Who inherits each of them: resolve every profile and see which one in
  // its lineage the setting in effect came from.
  for (const Profile& profile : listing.profiles) {
    auto resolved = store.resolve(profile.name);
    if (!resolved) continue;  // reported by `profiles list`; the uses above are what matters here
    for (const Setting& setting : resolved->settings) {
      if (setting.profile == profile.name || knowledge_for(setting) != &entry) continue;
      for (auto& use : uses) {
        if (use.profile == setting.profile && use.target == setting.target() &&
            std::find(use.inherited_by.begin(), use.inherited_by.end(), profile.name) == use.inherited_by.end()) {
          use.inherited_by.push_back(profile.name);
        }
      }
    }
  }
  return uses;
}

// The value on this host, read from the setting's one file (under --root).
struct LiveValue {
  bool looked = false;  // the setting has one file to read
  std::optional<std::string> value;
  std::string why_not;  // when there is no value
};

LiveValue live_value(Context& context, const KnowledgeEntry& entry) {
  auto file = knowledge_entry_file(entry);
  if (!file) return {};
  auto text = context.system().read_file(*file);
  if (text) return {true, printable_line(normalize_spaces(*text)), ""};
  if (auto info = context.system().stat(*file); info && !info->exists) return {true, std::nullopt, "not there: this kernel does not have it"};
  return {true, std::nullopt, "cannot be read: " + text.error().message};
}

nlohmann::json entry_json(const KnowledgeEntry& entry, const LiveValue& live,
                          const std::vector<ProfileUse>& uses) {
  nlohmann::json advice = nlohmann::json::array();
  for (const ValueAdvice* a : ordered_advice(entry)) {
    nlohmann::json item = {{"verdict", verdict_name(a->verdict)}, {"say", a->say}};
    if (!a->equals.empty()) item["equals"] = a->equals;
    if (a->below) item["below"] = *a->below;
    if (a->above) item["above"] = *a->above;
    if (!a->use.empty()) item["use"] = a->use;
    advice.push_back(item);
  }
  nlohmann::json profiles = nlohmann::json::array();
  for (const auto& use : uses) {
    profiles.push_back({{"profile", use.profile},
                        {"target", use.target},
                        {"value", use.value},
                        {"when", use.when},
                        {"from", use.from},
                        {"why", use.why},
                        {"inherited_by", use.inherited_by}});
  }
  nlohmann::json out = {{"domain", entry.domain},
                        {"key", entry.key},
                        {"what", entry.what},
                        {"type", value_type_name(entry.type)},
                        {"status", verdict_name(entry.status)},
                        {"raise_only", entry.raise_only},
                        {"needs_reboot", entry.needs_reboot},
                        {"advice", advice},
                        {"profiles", profiles},
                        {"live", live.value ? nlohmann::json(*live.value) : nlohmann::json(nullptr)}};
  if (live.looked) out["present"] = live.value.has_value();
  auto optional_text = [&out](const char* name, const std::string& value) {
    if (!value.empty()) out[name] = value;
  };
  optional_text("unit", entry.unit);
  optional_text("default", entry.default_value);
  optional_text("since", entry.since);
  optional_text("removed", entry.removed);
  optional_text("say", entry.say);
  optional_text("replacement", entry.replacement);
  if (entry.min) out["min"] = *entry.min;
  if (entry.max) out["max"] = *entry.max;
  if (!entry.values.empty()) out["values"] = entry.values;
  if (!entry.os.empty()) out["os"] = entry.os;
  if (!entry.paths.empty()) out["paths"] = entry.paths;
  return out;
}

std::string entry_text(const KnowledgeEntry& entry, const LiveValue& live,
                       const std::vector<ProfileUse>& uses, const Style& style) {
  std::string out = bold(style, entry.domain + " " + entry.key) + "\n  " + entry.what + "\n\n";
  auto line = [&out](const std::string& label, const std::string& value) {
    if (!value.empty()) out += fmt::format("  {:<15}{}\n", label + ":", value);
  };
  std::string type = value_type_name(entry.type);
  if (entry.type == ValueType::Integers) type += fmt::format(" ({} fields)", entry.fields);
  line("type", type);
  line("values", join(entry.values, ", "));
  line("range", range_text(entry));
  line("unit", entry.unit);
  line("default", entry.default_value);
  if (live.looked) line("on this host", live.value ? *live.value : live.why_not);
  if (auto file = knowledge_entry_file(entry)) line("file", *file);
  else line("files", join(entry.paths, ", "));
  line("systems", join(entry.os, ", "));
  line("since", entry.since);
  line("removed in", entry.removed);
  if (entry.raise_only) line("note", "raise only: lowering it below the live value is risky");
  if (entry.needs_reboot) line("takes effect", "at the next boot");
  if (entry.status != Verdict::Valid || !entry.say.empty()) {
    std::string status = verdict_name(entry.status);
    if (!entry.say.empty()) status += ": " + entry.say;
    if (!entry.replacement.empty()) status += " Use " + entry.replacement + " instead.";
    out += "\n  " + warn(style, status) + "\n";
  }

  if (!entry.advice.empty()) {
    out += "\n" + bold(style, "Advice about its values") + "\n";
    for (const ValueAdvice* a : ordered_advice(entry)) {
      std::string verdict = verdict_name(a->verdict);
      if (!a->use.empty()) verdict += " (use " + a->use + ")";
      out += fmt::format("  {:<16} {}\n", advice_condition(*a), a->verdict == Verdict::Valid ? verdict : warn(style, verdict));
      if (!a->say.empty()) out += "      " + a->say + "\n";
    }
  }

  out += "\n" + bold(style, "Profiles that set it") + "\n";
  if (uses.empty()) out += "  none of the profiles on the search path\n";
  for (const auto& use : uses) {
    std::string head = fmt::format("  {:<20} {} = {}", use.profile, use.target, use.value);
    if (!use.when.empty()) head += "  when " + join(use.when, ", ");
    out += head + "    (" + use.from + ")\n";
    if (!use.why.empty()) out += "      why: " + use.why + "\n";
    if (!use.inherited_by.empty()) out += "      inherited by: " + join(use.inherited_by, ", ") + "\n";
  }
  return out;
}

int run_explain(Context& context, const std::string& query) {
  const Knowledge& knowledge = Knowledge::builtin();
  const KnowledgeQuery found = query_knowledge(knowledge, query);
  if (found.entries.empty()) {
    std::string message = "unknown setting " + quoted_name(query) + ": tune's knowledge base does not describe it";
    if (found.suggestion) message = "unknown setting " + quoted_name(query) + " (did you mean '" + *found.suggestion + "'?)";
    return context.fail(Error{message});
  }

  nlohmann::json entries = nlohmann::json::array();
  std::string text;
  std::vector<Error> profile_errors;
  for (const KnowledgeEntry* entry : found.entries) {
    const auto live = live_value(context, *entry);
    const auto uses = profile_uses(context, *entry, profile_errors);
    if (context.options.json) {
      entries.push_back(entry_json(*entry, live, uses));
    } else {
      if (!text.empty()) text += "\n";
      text += entry_text(*entry, live, uses, context.style());
    }
  }
  // A profile that does not parse may set the key too: say so, rather than
  // answer as if the list were complete.
  for (const auto& error : profile_errors) spdlog::warn("{}", error.message);
  if (context.options.json) {
    nlohmann::json unreadable = nlohmann::json::array();
    for (const auto& error : profile_errors) unreadable.push_back(error.message);
    context.out(nlohmann::json{{"query", query}, {"entries", entries}, {"unreadable_profiles", unreadable}}.dump(2) + "\n");
  } else {
    context.out(text);
  }
  return exit_code::kOk;
}

}  // namespace

void add_explain_command(CLI::App& app, Context& context) {
  auto key = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "explain", "What tune knows about a setting: what it does, default, range, stale advice, profiles that set it");
  command->add_option("key", *key, "vm.swappiness, block:scheduler, /proc/sys/vm/swappiness, OLLAMA_NUM_PARALLEL...")
      ->required();
  command->callback([&context, key] { context.exit_code = run_explain(context, *key); });
}

}  // namespace tune::cli
