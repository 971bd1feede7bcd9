#include "platform/linux/swap_planner.h"

#include "core/file_knob.h"
#include "core/knowledge.h"
#include "core/profile_host.h"
#include "platform/linux/swap_area.h"
#include "platform/linux/swap_knob.h"
#include "platform/linux/sysfs_attribute.h"
#include "util/swap_table.h"
#include "util/text.h"

#include <algorithm>
#include <map>

namespace tune::linux_platform {
namespace {

constexpr int kZramPriority = 100;  // zram-generator's default: used before any disk swap

// The settings of one swap area, by key ("size", "path", ...).
struct AreaSettings {
  std::map<std::string, const Setting*> by_key;
  std::string reason() const {
    std::string text;
    for (const auto& [key, setting] : by_key) text += (text.empty() ? "" : ", ") + setting_origin(*setting);
    return text;
  }
  std::string value(const std::string& key) const {
    auto it = by_key.find(key);
    return it == by_key.end() ? "" : it->second->want.values.front();
  }
};

// "4G" or "50%" (of RAM) in bytes, whole pages; the reason when it cannot be.
std::optional<uint64_t> area_bytes(const System& system, const std::string& size, std::string& why) {
  uint64_t bytes = 0;
  if (ends_with(size, "%")) {
    auto total = memory_total_bytes(system);
    auto percent = parse_integer(size.substr(0, size.size() - 1));
    if (!total || !percent) {
      why = "needs the host's memory size for " + size + ", which /proc/meminfo does not give";
      return std::nullopt;
    }
    bytes = *total * static_cast<uint64_t>(*percent) / 100;
    bytes -= bytes % (1ull << 20);  // whole MiB, so the size reads plainly
  } else {
    bytes = parse_size(size).value_or(0);
  }
  const uint64_t page = page_size(system);
  bytes -= bytes % page;
  if (bytes < 10 * page) {
    why = "a swap area needs at least 10 pages, and " + size + " is less";
    return std::nullopt;
  }
  return bytes;
}

struct Persisted {
  std::vector<std::string> units;  // swap units swap.target wants
  std::vector<Change> files;
};

void skip_all(Plan& plan, const AreaSettings& area, const std::string& why) {
  for (const auto& [key, setting] : area.by_key) {
    plan.skipped.push_back({"swap", setting->target(), setting->want.describe(), why, setting_origin(*setting)});
  }
}

std::string unit_header(const std::string& profile, const std::string& what) { return tune_file_header(profile, what); }

Status plan_swapfile(const PlanRequest& request, const AreaSettings& area, Plan& plan, Persisted& persisted) {
  const System& system = request.system;
  auto refuse = [&](const std::string& why) -> Status {
    skip_all(plan, area, why);
    return {};
  };
  const std::string path = area.value("path").empty() ? "/swapfile" : area.value("path");
  if (area.value("size").empty()) return refuse("a swap file needs a size (swapfile: { size: 4G })");
  if (!valid_swapfile_path(path)) {
    return refuse("'" + path + "' is not a path tune keeps a swap file at (absolute, plain, outside /proc, /sys and /dev)");
  }
  std::string why;
  auto bytes = area_bytes(system, area.value("size"), why);
  if (!bytes) return refuse(why);
  const std::string dir = path.substr(0, path.find_last_of('/'));
  if (!dir.empty() && !system.stat(dir).value_or_default().is_dir) {
    return refuse("not available here: the directory " + dir + " does not exist");
  }
  auto observed = SwapKnob().observe(system, path);
  if (!observed) return observed.error();
  if (observed->value && observed->value->find(" on") == std::string::npos) {
    // Never overwrite a file tune did not make: only an active swap area is resized.
    return refuse(path + " exists and is not an active swap area; tune does not overwrite it");
  }
  SwapState wanted;
  wanted.in_use = true;
  wanted.bytes = *bytes;
  wanted.on = true;
  Change change;
  change.domain = "swap";
  change.target = path;
  change.before = observed->value;
  change.after = format_swap_state(wanted);
  change.action = !observed->value ? Action::Create
                  : SwapKnob().same_at(path, observed->value, change.after) ? Action::None
                                                                            : Action::Modify;
  if (change.action == Action::None) change.after = change.before;
  change.persistence = Persistence::File;
  change.reason = area.reason();
  change.note = change.action == Action::Create ? "a new file, mode 0600, formatted and swapped on"
                : change.action == Action::Modify ? "swapped off, made anew at the new size, swapped on" : "";
  plan.changes.push_back(std::move(change));

  const std::string unit = systemd_path_name(path) + ".swap";
  std::string text = unit_header(request.profile.name, "the swap file " + path + ", swapped on at boot");
  text += "[Unit]\nDescription=Swap file " + path + " (tune)\n\n[Swap]\nWhat=" + path + "\n";
  auto file = plan_file(system, "/etc/systemd/system/" + unit, text, 0644,
                        request.profile.name + " (the swap file's unit, so it is swapped on at boot)");
  if (!file) return file.error();
  persisted.files.push_back(std::move(*file));
  persisted.units.push_back(unit);
  for (const auto& line : split_lines(system.read_file("/etc/fstab").value_or_default())) {
    auto fields = split_whitespace(line);
    if (fields.size() >= 3 && fields[0] == path && fields[2] == "swap") {
      plan.warnings.push_back("/etc/fstab also lists " + path + "; tune's " + unit + " takes its place while applied");
    }
  }
  return {};
}

// The zram device tune sets: the one already swapping, else the first unused.
std::optional<std::string> pick_zram(const System& system, std::string& why) {
  const auto swaps = parse_swap_table(system.read_file("/proc/swaps").value_or_default());
  std::optional<std::string> unused;
  std::vector<std::string> busy;
  for (const auto& device : numbered_entries(system, "/sys/block", "zram")) {
    if (find_swap_area(swaps, "/dev/" + device)) return device;
    const auto disksize = parse_integer(trim(system.read_file("/sys/block/" + device + "/disksize").value_or_default()));
    if (disksize.value_or(0) == 0) {
      if (!unused) unused = device;
    } else {
      busy.push_back(device);
    }
  }
  if (unused) return unused;
  why = busy.empty() ? "not available here: no zram device (load the zram module: modprobe zram)"
                     : "every zram device is in use, and not as swap (" + join(busy, ", ") + ")";
  return std::nullopt;
}

Status plan_zram(const PlanRequest& request, const AreaSettings& area, Plan& plan, Persisted& persisted) {
  const System& system = request.system;
  auto refuse = [&](const std::string& why) -> Status {
    skip_all(plan, area, why);
    return {};
  };
  if (area.value("size").empty()) return refuse("zram needs a size (zram: { size: 50% })");
  std::string why;
  auto device = pick_zram(system, why);
  if (!device) return refuse(why);
  auto bytes = area_bytes(system, area.value("size"), why);
  if (!bytes) return refuse(why);
  auto algorithms = read_attribute(system, "/sys/block/" + *device + "/comp_algorithm");
  if (!algorithms) return algorithms.error();
  const Choice offered = parse_choice(algorithms->text);
  std::string algorithm = area.value("algorithm");
  if (!algorithm.empty() && std::find(offered.offered.begin(), offered.offered.end(), algorithm) == offered.offered.end()) {
    return refuse("value not offered: " + *device + " compresses with " + offered_list(offered.offered));
  }
  if (algorithm.empty()) algorithm = offered.current;
  int priority = kZramPriority;
  if (!area.value("priority").empty()) priority = static_cast<int>(parse_integer(area.value("priority")).value_or(kZramPriority));
  auto observed = SwapKnob().observe(system, *device);
  if (!observed) return observed.error();
  SwapState wanted{true, *bytes, algorithm, true, priority};
  Change change;
  change.domain = "swap";
  change.target = *device;
  change.before = observed->value;
  change.after = format_swap_state(wanted);
  change.action = SwapKnob().same_at(*device, observed->value, change.after) ? Action::None : Action::Modify;
  change.persistence = Persistence::File;
  change.reason = area.reason();
  change.note = "compressed swap in RAM";
  plan.changes.push_back(std::move(change));

  const std::string profile = request.profile.name;
  const std::string why_file = profile + " (zram swap, so it is there after a reboot)";
  auto add_file = [&](const std::string& path, const std::string& text) -> Status {
    auto file = plan_file(system, path, text, 0644, why_file);
    if (!file) return file.error();
    persisted.files.push_back(std::move(*file));
    return {};
  };
  if (system.stat(kZramGenerator).value_or_default().exists) {
    // zram-generator makes the device and its swap unit from its config.
    std::string size = area.value("size");
    if (ends_with(size, "%")) size = "ram * " + size.substr(0, size.size() - 1) + " / 100";
    else size = std::to_string(*bytes >> 20);  // MiB
    std::string text = unit_header(profile, "zram swap, made by zram-generator at boot");
    text += "[" + *device + "]\nzram-size = " + size + "\ncompression-algorithm = " + algorithm + "\n";
    if (priority >= 0) text += "swap-priority = " + std::to_string(priority) + "\n";
    return add_file(kZramGeneratorFile, text);
  }
  // Without zram-generator: load the module, size and format the device as
  // udev adds it, and swap it on through a unit.
  TUNE_RETURN_IF_ERROR(add_file(kZramModulesFile, unit_header(profile, "the zram module, loaded at boot") + "zram\n"));
  std::string rules = unit_header(profile, "zram swap, sized and formatted when the device appears");
  rules += "ACTION==\"add\", SUBSYSTEM==\"block\", KERNEL==\"" + *device + "\", ATTR{comp_algorithm}=\"" + algorithm +
           "\", ATTR{disksize}=\"" + std::to_string(*bytes) + "\", RUN+=\"/sbin/mkswap /dev/%k\", TAG+=\"systemd\"\n";
  TUNE_RETURN_IF_ERROR(add_file(kZramRulesFile, rules));
  const std::string unit = "dev-" + *device + ".swap";
  std::string text = unit_header(profile, "zram swap on /dev/" + *device + ", swapped on at boot");
  text += "[Unit]\nDescription=Compressed swap in RAM on /dev/" + *device + " (tune)\n\n[Swap]\nWhat=/dev/" + *device + "\n";
  if (priority >= 0) text += "Priority=" + std::to_string(priority) + "\n";
  TUNE_RETURN_IF_ERROR(add_file("/etc/systemd/system/" + unit, text));
  persisted.units.push_back(unit);
  return {};
}

}  // namespace

Status SwapPlanner::plan(const PlanRequest& request, Plan& plan) const {
  AreaSettings swapfile;
  AreaSettings zram;
  for (const Setting* setting : request.profile.in_domain("swap")) {
    const auto dot = setting->key.find('.');
    if (dot == std::string::npos) continue;
    const std::string area = setting->key.substr(0, dot);
    (area == "swapfile" ? swapfile : zram).by_key[setting->key.substr(dot + 1)] = setting;
  }
  if (swapfile.by_key.empty() && zram.by_key.empty()) return {};
  Persisted persisted;
  if (!swapfile.by_key.empty()) TUNE_RETURN_IF_ERROR(plan_swapfile(request, swapfile, plan, persisted));
  if (!zram.by_key.empty()) TUNE_RETURN_IF_ERROR(plan_zram(request, zram, plan, persisted));
  for (auto& file : persisted.files) plan.changes.push_back(std::move(file));
  if (persisted.units.empty()) return {};
  std::string text = unit_header(request.profile.name, "the swap areas tune keeps, swapped on at boot");
  text += "[Unit]\n";
  for (const auto& unit : persisted.units) text += "Wants=" + unit + "\n";
  auto file = plan_file(request.system, kSwapTargetDropIn, text, 0644,
                        request.profile.name + " (swap.target wants tune's swap units at boot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
