#include "platform/linux/sysfs_knob.h"

#include "core/declare_or_return.h"
#include "core/sysfs_paths.h"
#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <deque>

namespace tune::linux_platform {
namespace {

constexpr int kMaxLinks = 40;  // as the kernel's own limit on nested links

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "" : path.substr(0, slash);
}

// A device's queue as the block domain names it: .../block/sda/queue/x is
// /sys/block/sda/queue/x, whichever /sys/devices path led there.
std::optional<std::string> block_alias(const std::string& resolved) {
  auto at = resolved.rfind("/block/");
  if (at == std::string::npos || starts_with(resolved, "/sys/block/")) return std::nullopt;
  return "/sys/block/" + resolved.substr(at + 7);
}

std::string hex_digits(const std::string& text) {
  std::string digits;
  for (char c : normalize_spaces(text)) {
    if (c == ',') continue;
    digits += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

}  // namespace

Result<std::string> resolve_path(const System& system, const std::string& path) {
  std::deque<std::string> pending;
  for (auto& part : split(path, '/')) {
    if (!part.empty()) pending.push_back(std::move(part));
  }
  std::string current;  // "" is "/"
  int links = 0;
  while (!pending.empty()) {
    const std::string part = pending.front();
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      current = parent_of(current);
      continue;
    }
    const std::string next = current + "/" + part;
    auto link = system.read_link(next);
    if (!link) return link.error();
    if (!*link) {
      current = next;
      continue;
    }
    if (++links > kMaxLinks) return make_error("{}: too many symbolic links on the way", path);
    const std::string& target = **link;
    if (target.empty()) return make_error("{}: an empty symbolic link on the way", path);
    if (target.front() == '/') current.clear();
    auto parts = split(target, '/');
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      if (!it->empty()) pending.push_front(*it);
    }
  }
  return current.empty() ? std::string("/") : current;
}

Result<SysfsFile> check_sysfs_file(const System& system, const std::string& path) {
  SysfsFile file;
  if (auto problem = sysfs_path_problem(path)) return make_error("sysfs '{}': {}", path, *problem);
  if (has_sysfs_glob(path)) return make_error("sysfs '{}': a target names one file, not a glob", path);
  const Knowledge& knowledge = Knowledge::builtin();
  if (auto refused = sysfs_refusal(knowledge, path)) {
    file.refused = *refused;
    return file;
  }
  TUNE_ASSIGN_OR_RETURN(file.resolved, resolve_path(system, path));
  if (!starts_with(file.resolved, "/sys/")) {
    file.refused = "its symbolic links lead out of /sys (to " + file.resolved + ")";
    return file;
  }
  std::vector<std::string> names = {file.resolved};
  if (auto alias = block_alias(file.resolved)) names.push_back(*alias);
  for (const auto& name : names) {
    if (name == path) continue;
    if (auto refused = sysfs_refusal(knowledge, name)) {
      file.refused = "it leads to " + name + ": " + *refused;
      return file;
    }
  }
  return file;
}

Result<std::vector<std::string>> expand_sysfs_glob(const System& system, const std::string& pattern) {
  if (!has_sysfs_glob(pattern)) return std::vector<std::string>{pattern};
  std::vector<std::string> found = {""};
  for (const auto& part : split(pattern.substr(1), '/')) {
    std::vector<std::string> next;
    for (const auto& prefix : found) {
      if (!has_sysfs_glob(part)) {
        next.push_back(prefix + "/" + part);
        continue;
      }
      // List where the prefix leads: a symlinked directory (/sys/class/net/eth0) lists its target.
      auto where = resolve_path(system, prefix.empty() ? "/" : prefix);
      if (!where) return where.error();
      auto info = system.stat(*where);
      if (!info) return info.error();
      if (!info->exists || !info->is_dir) continue;
      auto names = system.list_dir(*where);
      if (!names) return names.error();
      for (const auto& name : *names) {
        if (sysfs_glob_component_match(part, name)) next.push_back(prefix + "/" + name);
      }
      if (next.size() > kMaxSysfsMatches) {
        return make_error("sysfs {}: matches more than {} files; name them more closely", pattern, kMaxSysfsMatches);
      }
    }
    found = std::move(next);
  }
  std::vector<std::string> files;
  for (const auto& path : found) {
    auto where = resolve_path(system, path);
    if (!where) return where.error();
    auto info = system.stat(*where);
    if (!info) return info.error();
    if (info->exists && !info->is_dir) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<Observation> SysfsKnob::observe(const System& system, const std::string& target) const {
  TUNE_DECLARE_OR_RETURN(SysfsFile file, check_sysfs_file(system, target));
  if (!file.refused.empty()) return make_error("sysfs {}: refused: {}", target, file.refused);
  Observation observation;
  TUNE_DECLARE_OR_RETURN(Attribute attribute, read_attribute(system, file.resolved));
  if (!attribute.exists) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "not available here: no such file";
    return observation;
  }
  if (!attribute.writable) {
    observation.writable = false;
    observation.note = "read-only here";
  } else if (attribute.text.find('\n') != std::string::npos) {
    // A list over several lines cannot be written back as it was read.
    observation.writable = false;
    observation.note = "it reads as several lines; tune writes one-line attributes only";
  }
  // A choice line ("[none] mq-deadline") is the bracketed word: what writing puts back.
  observation.value = parse_choice(attribute.text).current;
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status SysfsKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("sysfs {}: an attribute cannot be removed", change.target);
  TUNE_DECLARE_OR_RETURN(SysfsFile file, check_sysfs_file(system, change.target));
  if (!file.refused.empty()) return make_error("sysfs {}: refused: {}", change.target, file.refused);
  return system.write_attribute(file.resolved, *change.after);
}

Status SysfsKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) return make_error("sysfs {}: the journal holds no value to restore", target);
  TUNE_DECLARE_OR_RETURN(SysfsFile file, check_sysfs_file(system, target));
  if (!file.refused.empty()) return make_error("sysfs {}: refused: {}", target, file.refused);
  return system.write_attribute(file.resolved, prior.value);
}

bool SysfsKnob::same_at(const std::string& target, const std::optional<std::string>& live,
                        const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  if (normalize_spaces(*live) == normalize_spaces(*wanted)) return true;
  const KnowledgeEntry* entry = sysfs_entry(Knowledge::builtin(), target);
  if (!entry) return false;
  if (entry->type == ValueType::HexMask) return hex_digits(*live) == hex_digits(*wanted);
  if (entry->type == ValueType::Integer) return compare_whole_numbers(*live, *wanted) == std::optional<int>(0);
  return false;
}

}  // namespace tune::linux_platform
