#include "platform/linux/block_planner.h"

#include "core/file_knob.h"
#include "core/knowledge.h"
#include "core/profile_host.h"
#include "platform/linux/block_devices.h"
#include "platform/linux/block_knob.h"
#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace tune::linux_platform {
namespace {

// Which setting decides one key of one device, and how the device was reached.
struct Assignment {
  const Setting* setting = nullptr;
  std::string via;  // "partition sda2", "disk of dm-0"
};

std::string scope_words(const std::string& scope) {
  if (scope == "all") return "a disk";
  if (scope == "nvme") return "an NVMe disk";
  if (scope == "ssd") return "a SATA or SAS SSD";
  if (scope == "hdd") return "a spinning disk";
  if (scope == "virtual") return "a virtual disk";
  return "named " + scope;
}

// How a change's note names the scope that reached a device.
std::string scope_label(const std::string& scope) {
  if (scope == "all") return "all disks";
  if (scope == "nvme") return "NVMe disks";
  if (scope == "ssd") return "SATA and SAS SSDs";
  if (scope == "hdd") return "spinning disks";
  if (scope == "virtual") return "virtual disks";
  return "named " + scope;
}

bool only_none_scheduler(const System& system, const std::string& device) {
  auto attribute = read_attribute(system, "/sys/block/" + device + "/queue/scheduler");
  if (!attribute || !attribute->exists) return true;
  auto offered = parse_choice(attribute->text).offered;
  return offered.size() <= 1;
}

// The devices a setting's scope reaches, each with how it got there.
std::vector<std::pair<std::string, std::string>> devices_of(const System& system, const Setting& setting,
                                                            const std::vector<BlockDevice>& devices) {
  const std::string& scope = setting.scope;
  std::vector<std::pair<std::string, std::string>> reached;
  for (const auto& device : devices) {
    bool named = is_block_class(scope) ? (!device.device_class.empty() && (scope == "all" || scope == device.device_class))
                                       : block_name_matches(scope, device.name);
    if (!named) continue;
    // Device-mapper and md devices have no scheduler of their own: the disks under them take it.
    if (device.stacked && setting.key == "scheduler" && only_none_scheduler(system, device.name)) {
      for (const auto& disk : device.disks) reached.emplace_back(disk, "a disk of " + device.name);
      continue;
    }
    reached.emplace_back(device.name, "");
  }
  if (reached.empty() && !is_block_class(scope)) {
    // A partition's queue is its disk's.
    if (std::string disk = disk_of_partition(system, scope); !disk.empty()) {
      reached.emplace_back(disk, scope + " is a partition of " + disk);
    }
  }
  return reached;
}

std::string join_notes(const std::vector<std::string>& notes) {
  std::vector<std::string> present;
  for (const auto& note : notes) {
    if (!note.empty()) present.push_back(note);
  }
  return join(present, "; ");
}

}  // namespace

std::optional<std::string> offered_scheduler(const std::string& wanted, const std::vector<std::string>& offered) {
  static const std::vector<std::pair<std::string, std::string>> kSameScheduler = {
      {"none", "noop"}, {"mq-deadline", "deadline"}, {"bfq", "cfq"}};
  auto has = [&](const std::string& name) { return std::find(offered.begin(), offered.end(), name) != offered.end(); };
  if (has(wanted)) return wanted;
  for (const auto& [modern, legacy] : kSameScheduler) {
    if (wanted == modern && has(legacy)) return legacy;
    if (wanted == legacy && has(modern)) return modern;
  }
  return std::nullopt;
}

Status BlockPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("block");
  if (settings.empty()) return {};
  const System& system = request.system;
  const auto devices = list_block_devices(system);

  std::map<std::pair<std::string, std::string>, Assignment> chosen;  // (device, key) -> setting
  for (const Setting* setting : settings) {
    auto reached = devices_of(system, *setting, devices);
    if (reached.empty()) {
      plan.skipped.push_back({"block", setting->target(), setting->want.describe(),
                              "not available here: no block device here is " + scope_words(setting->scope),
                              setting_origin(*setting)});
      continue;
    }
    for (const auto& [device, via] : reached) {
      Assignment& slot = chosen[{device, setting->key}];
      if (!slot.setting || scope_specificity(setting->scope) > scope_specificity(slot.setting->scope)) {
        slot = {setting, via};
      }
    }
  }

  // Devices in name order, keys in apply order.
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& [address, assignment] : chosen) order.push_back(address);
  const auto& keys = block_keys();
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return std::find(keys.begin(), keys.end(), a.second) < std::find(keys.begin(), keys.end(), b.second);
  });

  BlockKnob knob;
  std::set<const Setting*> decided;  // settings with at least one device change
  std::map<const Setting*, std::set<std::string>> persisted_values;
  std::map<const Setting*, std::vector<std::string>> refusals;
  for (const auto& address : order) {
    const auto& [device, key] = address;
    const Assignment& assignment = chosen[address];
    const Setting& setting = *assignment.setting;
    const std::string target = device + "/" + key;
    auto refuse = [&](const std::string& why) { refusals[&setting].push_back(device + ": " + why); };
    auto observed = knob.observe(system, target);
    if (!observed) return observed.error();
    if (!observed->supported || !observed->writable) {
      refuse(observed->note);
      continue;
    }
    const std::string live = *observed->value;
    std::string wanted;
    std::string mapping;
    if (key == "scheduler") {
      auto attribute = read_attribute(system, "/sys/block/" + device + "/queue/scheduler");
      if (!attribute) return attribute.error();
      const auto offered = parse_choice(attribute->text).offered;
      for (const auto& value : setting.want.values) {
        auto name = offered_scheduler(value, offered);
        if (!name) continue;
        if (*name == live) {
          wanted = live;  // one of the wanted ones is already set
          break;
        }
        if (wanted.empty()) {
          wanted = *name;
          if (*name != value) mapping = value + " is called " + *name + " by this kernel";
        }
      }
      if (wanted.empty()) {
        refuse("value not offered: " + device + " offers " + offered_list(offered));
        continue;
      }
    } else {
      wanted = setting.want.satisfied_by(live) ? live : setting.want.target_for(live);
      if (key == "nr_requests" && setting.want.op == Want::Op::Exact &&
          compare_whole_numbers(wanted, live).value_or(0) < 0) {
        refuse("would lower a raise-only limit (" + device + " has " + live + ")");
        continue;
      }
    }
    Change change;
    change.domain = "block";
    change.target = target;
    change.before = live;
    change.after = wanted;
    change.action = wanted == live ? Action::None : Action::Modify;
    change.persistence = Persistence::File;
    change.reason = setting_origin(setting);
    change.note = join_notes({setting.scope == device ? "" : scope_label(setting.scope), assignment.via, mapping});
    plan.changes.push_back(std::move(change));
    decided.insert(&setting);
    persisted_values[&setting].insert(wanted);
  }
  for (const Setting* setting : settings) {
    if (decided.count(setting)) continue;
    auto it = refusals.find(setting);
    bool reached = std::any_of(chosen.begin(), chosen.end(), [&](const auto& entry) { return entry.second.setting == setting; });
    if (it != refusals.end()) {
      plan.skipped.push_back({"block", setting->target(), setting->want.describe(), join(it->second, "; "),
                              setting_origin(*setting)});
    } else if (!reached && !devices_of(system, *setting, devices).empty()) {
      plan.skipped.push_back({"block", setting->target(), setting->want.describe(),
                              "every device it names is set by a more specific scope", setting_origin(*setting)});
    }
  }
  if (decided.empty()) return {};

  // One udev line per scope, least specific first: at boot the later, more
  // specific lines win, as they do here.
  std::map<std::string, std::vector<const Setting*>> by_scope;
  for (const Setting* setting : decided) by_scope[setting->scope].push_back(setting);
  std::vector<std::string> scopes;
  for (const auto& [scope, members] : by_scope) scopes.push_back(scope);
  std::stable_sort(scopes.begin(), scopes.end(),
                   [](const std::string& a, const std::string& b) { return scope_specificity(a) < scope_specificity(b); });
  std::string rules =
      tune_file_header(request.profile.name, "block queue settings, for the disks present at boot and any added later");
  for (const auto& scope : scopes) {
    auto& members = by_scope[scope];
    std::stable_sort(members.begin(), members.end(), [&](const Setting* a, const Setting* b) {
      return std::find(keys.begin(), keys.end(), a->key) < std::find(keys.begin(), keys.end(), b->key);
    });
    std::string line = "ACTION==\"add|change\", SUBSYSTEM==\"block\", " + udev_match(scope);
    for (const Setting* setting : members) {
      const auto& values = persisted_values[setting];
      // The value every device got; where devices differ (a bound kept a
      // larger value on one), the profile's own value.
      std::string value = values.size() == 1 ? *values.begin() : setting->want.values.front();
      if (values.size() > 1) {
        plan.warnings.push_back("block " + setting->target() + ": the devices here differ (" +
                                join(std::vector<std::string>(values.begin(), values.end()), ", ") + "), so " +
                                kBlockRulesFile + " sets " + value + " at boot");
      }
      line += ", ATTR{queue/" + setting->key + "}=\"" + value + "\"";
    }
    rules += line + "\n";
  }
  auto file = plan_file(system, kBlockRulesFile, rules, 0644,
                        request.profile.name + " (block settings, so they hold after a reboot and for new disks)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
