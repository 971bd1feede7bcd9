#include "platform/linux/power_files.h"

#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

const std::vector<std::string> kAudioModules = {"snd_hda_intel", "snd_ac97_codec"};

// The policies libata accepts; it shows keep_firmware (or keep_firmware_settings)
// while it leaves the firmware's policy alone, and takes no writes of it.
const std::vector<std::string> kAlpmPolicies = {"max_performance", "medium_power", "med_power_with_dipm",
                                                "min_power_with_partial", "min_power"};

// radeon: the legacy profiles and dynpm need the profile or dynpm method;
// a card running DPM refuses both and takes a DPM state instead.
const std::vector<std::string> kRadeonProfiles = {"default", "auto", "low", "mid", "high", "dynpm"};
const std::vector<std::string> kRadeonDpm = {"dpm-battery", "dpm-balanced", "dpm-performance"};
const std::vector<std::string> kAmdgpuLevels = {"auto",          "low",           "high",
                                                "manual",        "profile_standard", "profile_min_sclk",
                                                "profile_min_mclk", "profile_peak", "perf_determinism"};

bool truthy(const std::string& value) {
  const std::string lower = ascii_lower(trim(value));
  return lower == "1" || lower == "true" || lower == "yes" || lower == "on" || lower == "y";
}

std::string card_file(const std::string& card, const std::string& name) {
  return std::string(kDrmDir) + "/" + card + "/device/" + name;
}

std::string file_of(const std::string& key, const std::string& member) {
  if (key == "sata_alpm") return std::string(kScsiHostDir) + "/" + member + "/link_power_management_policy";
  if (key == "audio_power_save") return std::string(kModuleDir) + "/" + member + "/parameters/power_save";
  if (key == "audio_power_save_controller") return std::string(kModuleDir) + "/" + member + "/parameters/power_save_controller";
  if (key == "usb_autosuspend") return std::string(kUsbDevicesDir) + "/" + member + "/power/control";
  return "";
}

bool exists(const System& system, const std::string& path) { return system.stat(path).value_or_default().exists; }

std::string text_of(const System& system, const std::string& path) { return trim(system.read_file(path).value_or_default()); }

// The file whose write bits say whether a card can be set.
std::string card_control(const System& system, const std::string& card) {
  const std::string driver = card_driver(system, card);
  if (driver == "radeon") {
    return text_of(system, card_file(card, "power_method")) == "dpm" ? card_file(card, "power_dpm_state")
                                                                      : card_file(card, "power_method");
  }
  return card_file(card, "power_dpm_force_performance_level");
}

// A member's files, for the read-only check.
std::vector<std::string> member_files(const System& system, const std::string& key, const std::string& member) {
  if (key == "gpu_power") return {card_control(system, member)};
  return {file_of(key, member)};
}

void locate_alpm(const System& system, PowerSetting& setting) {
  bool any_host = false;
  for (const auto& host : numbered_entries(system, kScsiHostDir, "host")) {
    any_host = true;
    const std::string base = std::string(kScsiHostDir) + "/" + host + "/";
    if (!exists(system, base + "link_power_management_policy")) {
      setting.left_out.push_back(host + " (no link power management: not a SATA/AHCI host)");
      continue;
    }
    // Kernels since 6.16 say which hosts refuse a policy; older ones refuse the write.
    auto supported = read_attribute(system, base + "link_power_management_supported");
    if (supported && supported->exists && supported->text == "0") {
      setting.left_out.push_back(host + " (the controller or a disk on it does not support link power management)");
      continue;
    }
    setting.members.push_back(host);
  }
  if (setting.members.empty()) {
    setting.unavailable = !any_host ? "no SCSI hosts" : "no SATA host with link power management (" + join(setting.left_out, ", ") + ")";
  }
}

void locate_gpus(const System& system, PowerSetting& setting) {
  for (const auto& card : numbered_entries(system, kDrmDir, "card")) {
    const std::string driver = card_driver(system, card);
    if (driver == "radeon" && exists(system, card_file(card, "power_method"))) {
      setting.members.push_back(card);
    } else if (driver == "amdgpu" && exists(system, card_file(card, "power_dpm_force_performance_level"))) {
      setting.members.push_back(card);
    } else {
      setting.left_out.push_back(card + " (" + (driver.empty() ? "no driver" : driver) + ": no power control tune knows)");
    }
  }
  if (setting.members.empty()) setting.unavailable = "no radeon or amdgpu card";
}

void locate_usb(const System& system, PowerSetting& setting) {
  for (const auto& device : system.list_dir(kUsbDevicesDir).value_or_default()) {
    // Interfaces ("1-1:1.0") have no runtime power control of their own.
    if (device.find(':') != std::string::npos) continue;
    if (exists(system, file_of("usb_autosuspend", device))) setting.members.push_back(device);
  }
  if (setting.members.empty()) setting.unavailable = "no USB devices";
}

}  // namespace

const std::vector<std::string>& linux_power_keys() {
  static const std::vector<std::string> kKeys = {"sata_alpm", "audio_power_save", "audio_power_save_controller", "gpu_power",
                                                 "usb_autosuspend"};
  return kKeys;
}

bool is_linux_power_key(const std::string& key) {
  const auto& keys = linux_power_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool is_power_switch(const std::string& key) { return key == "audio_power_save_controller" || key == "usb_autosuspend"; }

std::string power_bool_word(const std::string& value) { return truthy(value) ? "true" : "false"; }

std::string card_driver(const System& system, const std::string& card) {
  for (const auto& line : split_lines(system.read_file(card_file(card, "uevent")).value_or_default())) {
    if (starts_with(line, "DRIVER=")) return trim(line.substr(7));
  }
  return "";
}

std::string describe_card(const System& system, const std::string& card) {
  const std::string driver = card_driver(system, card);
  if (driver != "radeon") return driver;
  return "radeon, " + text_of(system, card_file(card, "power_method")) + " method";
}

PowerSetting locate_power_setting(const System& system, const std::string& key) {
  PowerSetting setting;
  if (key == "sata_alpm") {
    locate_alpm(system, setting);
  } else if (key == "audio_power_save") {
    for (const auto& module : kAudioModules) {
      if (exists(system, file_of(key, module))) setting.members.push_back(module);
    }
    if (setting.members.empty()) setting.unavailable = "neither snd_hda_intel nor snd_ac97_codec is loaded";
  } else if (key == "audio_power_save_controller") {
    if (exists(system, file_of(key, "snd_hda_intel"))) {
      setting.members.push_back("snd_hda_intel");
    } else {
      setting.unavailable = exists(system, std::string(kModuleDir) + "/snd_hda_intel")
                                ? "this snd_hda_intel has no power_save_controller parameter"
                                : "snd_hda_intel is not loaded";
    }
  } else if (key == "gpu_power") {
    locate_gpus(system, setting);
  } else if (key == "usb_autosuspend") {
    locate_usb(system, setting);
  } else {
    setting.unavailable = "tune does not know the power key '" + key + "' on Linux";
    return setting;
  }
  for (const auto& member : setting.members) {
    for (const auto& file : member_files(system, key, member)) {
      auto info = system.stat(file).value_or_default();
      if (setting.read_only.empty() && info.exists && (info.mode & 0222) == 0) setting.read_only = file;
    }
  }
  return setting;
}

Result<MemberValues> read_power_values(const System& system, const std::string& key, const PowerSetting& setting) {
  MemberValues values;
  for (const auto& member : setting.members) {
    std::string value;
    if (key == "gpu_power") {
      if (card_driver(system, member) == "radeon") {
        const std::string method = text_of(system, card_file(member, "power_method"));
        if (method == "profile") value = text_of(system, card_file(member, "power_profile"));
        else if (method == "dpm") value = "dpm-" + text_of(system, card_file(member, "power_dpm_state"));
        else value = method;
      } else {
        value = text_of(system, card_file(member, "power_dpm_force_performance_level"));
      }
    } else {
      auto attribute = read_attribute(system, file_of(key, member));
      if (!attribute) return attribute.error();
      if (!attribute->exists) return make_error("{}: no such file", file_of(key, member));
      value = attribute->text;
      if (key == "audio_power_save_controller") value = power_bool_word(value);
      if (key == "usb_autosuspend") value = value == "auto" ? "true" : value == "on" ? "false" : value;
    }
    // A value must stay one word for the member form ("card0=low card1=auto").
    if (value.empty() || value.find_first_of(" \t=") != std::string::npos) {
      return make_error("power {}: {} reads '{}', which is no value tune knows", key, member, value);
    }
    values.emplace_back(member, value);
  }
  return values;
}

Status write_power_value(System& system, const std::string& key, const std::string& member, const std::string& value) {
  if (key == "audio_power_save_controller") return system.write_attribute(file_of(key, member), truthy(value) ? "Y" : "N");
  if (key == "usb_autosuspend") return system.write_attribute(file_of(key, member), truthy(value) ? "auto" : "on");
  if (key != "gpu_power") return system.write_attribute(file_of(key, member), value);
  if (card_driver(system, member) != "radeon") {
    return system.write_attribute(card_file(member, "power_dpm_force_performance_level"), value);
  }
  const std::string method = text_of(system, card_file(member, "power_method"));
  if (starts_with(value, "dpm-")) {
    if (method != "dpm") return make_error("power gpu_power: {} runs the {} method, not DPM (radeon.dpm=1)", member, method);
    return system.write_attribute(card_file(member, "power_dpm_state"), value.substr(4));
  }
  if (method == "dpm") return make_error("power gpu_power: {} runs DPM, which takes no '{}'", member, value);
  if (value == "dynpm") return system.write_attribute(card_file(member, "power_method"), "dynpm");
  if (method != "profile") TUNE_RETURN_IF_ERROR(system.write_attribute(card_file(member, "power_method"), "profile"));
  return system.write_attribute(card_file(member, "power_profile"), value);
}

bool same_power_value(const std::string& key, const std::string& a, const std::string& b) {
  if (is_power_switch(key)) {
    return same_members(a, b, [](const std::string& x, const std::string& y) { return truthy(x) == truthy(y); });
  }
  return same_members(a, b);
}

std::vector<std::string> offered_power_values(const System& system, const std::string& key, const std::string& member) {
  if (key == "sata_alpm") return kAlpmPolicies;
  if (key != "gpu_power") return {};
  if (card_driver(system, member) != "radeon") return kAmdgpuLevels;
  return text_of(system, card_file(member, "power_method")) == "dpm" ? kRadeonDpm : kRadeonProfiles;
}

}  // namespace tune::linux_platform
