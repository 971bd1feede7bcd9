#include "platform/linux/power_planner.h"

#include "core/file_knob.h"
#include "core/knowledge.h"
#include "core/profile_host.h"
#include "platform/linux/power_files.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

// The switch keys in the form tune reads back.
Want normalized(const std::string& key, Want want) {
  if (is_power_switch(key)) {
    for (auto& value : want.values) value = power_bool_word(value);
  }
  return want;
}

// What one key became: the change, or why it could not be planned.
struct KeyPlan {
  std::optional<Change> change;
  std::string refusal;
};

std::string member_word(const std::string& key, size_t count) {
  const char* one = key == "sata_alpm" ? "SATA host" : key == "gpu_power" ? "card" : key == "usb_autosuspend" ? "USB device" : "module";
  return fmt::format("{} {}{}", count, one, count == 1 ? "" : "s");
}

KeyPlan plan_key(const System& system, const Setting& setting) {
  const std::string& key = setting.key;
  PowerSetting located = locate_power_setting(system, key);
  if (!located.unavailable.empty()) return {std::nullopt, "not available here: " + located.unavailable};
  if (!located.read_only.empty()) return {std::nullopt, "read-only here: " + located.read_only};
  auto live = read_power_values(system, key, located);
  if (!live) return {std::nullopt, live.error().message};
  const Want want = normalized(key, setting.want);
  MemberValues wanted;
  std::vector<std::string> left_alone;
  for (const auto& [member, value] : *live) {
    if (key == "sata_alpm" && starts_with(value, "keep_firmware")) {
      return {std::nullopt, member + " keeps the firmware's link power policy (" + value +
                                "), which the kernel takes no writes of: a rollback could not put it back"};
    }
    if (want.satisfied_by(value)) {
      wanted.emplace_back(member, value);
      continue;
    }
    Want choices = want;
    const auto offered = offered_power_values(system, key, member);
    if (!offered.empty()) {
      choices.values.erase(std::remove_if(choices.values.begin(), choices.values.end(),
                                          [&](const std::string& v) {
                                            return std::find(offered.begin(), offered.end(), v) == offered.end();
                                          }),
                           choices.values.end());
    }
    if (choices.values.empty()) {
      // A card takes only its driver's values; the others keep theirs.
      left_alone.push_back(member + " (" + describe_card(system, member) + ", offers " + join(offered, " ") + ")");
      wanted.emplace_back(member, value);
      continue;
    }
    wanted.emplace_back(member, choices.target_for(value));
  }
  if (left_alone.size() == live->size()) return {std::nullopt, "value not offered: " + join(left_alone, "; ")};

  Change change;
  change.domain = "power";
  change.target = key;
  change.before = encode_members(*live);
  change.after = encode_members(wanted);
  change.action = same_power_value(key, *change.before, *change.after) ? Action::None : Action::Modify;
  if (change.action == Action::None) change.after = change.before;
  change.persistence = Persistence::File;
  change.reason = setting_origin(setting);
  std::vector<std::string> notes;
  if (located.members.size() > 1) notes.push_back("on " + member_word(key, located.members.size()));
  if (!left_alone.empty()) notes.push_back("left as they are: " + join(left_alone, "; "));
  if (!located.left_out.empty()) notes.push_back("without it: " + join(located.left_out, ", "));
  change.note = join(notes, "; ");
  return {std::move(change), ""};
}

std::string udev_value(const std::string& value) { return "\"" + value + "\""; }

// The udev lines that set a planned value again when each device appears.
void add_rules(const System& system, const std::string& key, const Want& want, const std::string& after,
               std::vector<std::string>& rules) {
  auto values = decode_members(after, locate_power_setting(system, key).members);
  if (!values || values->empty()) return;
  if (key == "sata_alpm") {
    rules.push_back("ACTION==\"add\", SUBSYSTEM==\"scsi_host\", KERNEL==\"host*\", TEST==\"link_power_management_policy\", "
                    "ATTR{link_power_management_policy}=" + udev_value(values->begin()->second));
    return;
  }
  if (key == "usb_autosuspend") {
    rules.push_back("ACTION==\"add\", SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", TEST==\"power/control\", "
                    "ATTR{power/control}=" + udev_value(power_bool_word(values->begin()->second) == "true" ? "auto" : "on"));
    return;
  }
  // gpu_power: one line per card that takes the profile's value; a card left
  // as it was gets none.
  for (const auto& [card, value] : *values) {
    if (std::find(want.values.begin(), want.values.end(), value) == want.values.end()) continue;
    const std::string driver = card_driver(system, card);
    std::string line = "ACTION==\"add\", SUBSYSTEM==\"drm\", KERNEL==\"" + card + "\", DRIVERS==\"" + driver + "\", ";
    if (driver != "radeon") {
      line += "ATTR{device/power_dpm_force_performance_level}=" + udev_value(value);
    } else if (starts_with(value, "dpm-")) {
      line += "ATTR{device/power_dpm_state}=" + udev_value(value.substr(4));
    } else if (value == "dynpm") {
      line += "ATTR{device/power_method}=\"dynpm\"";
    } else {
      line += "ATTR{device/power_method}=\"profile\", ATTR{device/power_profile}=" + udev_value(value);
    }
    rules.push_back(line);
  }
}

// The options lines for the audio modules, one per module.
void add_options(const System& system, const std::string& key, const std::string& after,
                 std::vector<std::pair<std::string, std::string>>& options) {
  auto values = decode_members(after, locate_power_setting(system, key).members);
  if (!values) return;
  for (const auto& [module, value] : *values) {
    const std::string option = key == "audio_power_save" ? "power_save=" + value
                                                         : "power_save_controller=" + std::string(value == "true" ? "Y" : "N");
    auto it = std::find_if(options.begin(), options.end(), [&](const auto& entry) { return entry.first == module; });
    if (it == options.end()) options.emplace_back(module, option);
    else it->second += " " + option;
  }
}

}  // namespace

Status PowerPlanner::plan(const PlanRequest& request, Plan& plan) const {
  std::vector<const Setting*> settings = request.profile.in_domain("power");
  if (settings.empty()) return {};
  const auto& order = linux_power_keys();
  auto rank = [&](const Setting* s) { return std::find(order.begin(), order.end(), s->key) - order.begin(); };
  std::stable_sort(settings.begin(), settings.end(), [&](const Setting* a, const Setting* b) { return rank(a) < rank(b); });

  const System& system = request.system;
  std::vector<Change> changes;
  std::vector<std::string> rules;
  std::vector<std::pair<std::string, std::string>> options;
  bool udev_keys = false;
  bool module_keys = false;
  for (const Setting* setting : settings) {
    const std::string& key = setting->key;
    auto skip = [&](const std::string& reason) {
      plan.skipped.push_back({"power", key, setting->want.describe(), reason, setting_origin(*setting)});
    };
    if (!is_linux_power_key(key)) {
      // Reached when the host runs that OS (planned from its saved facts or a
      // fixture tree) or its OS is unknown: the OS check passes both on.
      const KnowledgeEntry* entry = Knowledge::builtin().find("power", key);
      skip("a " + (entry && !entry->os.empty() ? join(entry->os, "/") : std::string("non-Linux")) +
           " setting; this build of tune has only the Linux backend");
      continue;
    }
    KeyPlan planned = plan_key(system, *setting);
    if (!planned.change) {
      skip(planned.refusal);
      continue;
    }
    const Want want = normalized(key, setting->want);
    if (key == "audio_power_save" || key == "audio_power_save_controller") {
      module_keys = true;
      add_options(system, key, *planned.change->after, options);
    } else {
      udev_keys = true;
      add_rules(system, key, want, *planned.change->after, rules);
    }
    changes.push_back(std::move(*planned.change));
  }
  if (changes.empty()) return {};
  for (auto& change : changes) plan.changes.push_back(std::move(change));
  if (udev_keys) {
    std::string text = tune_file_header(request.profile.name, "power settings for SATA hosts, GPUs and USB devices as each appears");
    for (const auto& rule : rules) text += rule + "\n";
    auto file = plan_file(system, kPowerRulesFile, text, 0644,
                          request.profile.name + " (power settings, so they hold after a reboot and for new devices)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(*file));
  }
  if (module_keys) {
    std::string text = tune_file_header(request.profile.name, "audio codec power saving, whenever the modules load");
    for (const auto& [module, option] : options) text += "options " + module + " " + option + "\n";
    auto file = plan_file(system, kPowerModprobeFile, text, 0644,
                          request.profile.name + " (audio power settings, so they hold after a reboot)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(*file));
  }
  return {};
}

}  // namespace tune::linux_platform
