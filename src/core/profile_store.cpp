#include "core/profile_store.h"

#include "core/profile_variables.h"

#include "util/sha256.h"
#include "util/text.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace tune {

namespace fs = std::filesystem;

// Every file tune reads as input (profiles, plans, facts, advice, TuneD
// profiles, topologies) is a regular file of a bounded size: a FIFO would
// hang a plan, /dev/zero would never end.
constexpr std::uintmax_t kMaxInputBytes = 16u << 20;

Result<std::string> read_input_file(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) return make_error("reading {}: {}", path, ec.message());
  if (fs::is_directory(status)) return make_error("reading {}: it is a directory", path);
  if (!fs::is_regular_file(status)) return make_error("reading {}: not a regular file", path);
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error("reading {}: {}", path, ec.message());
  if (size > kMaxInputBytes) return make_error("reading {}: larger than the 16 MiB tune reads as input", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("reading {}: {}", path, std::strerror(errno));
  // The size may have grown since it was asked: stop at the bound all the same.
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) return make_error("reading {}: larger than the 16 MiB tune reads as input", path);
  }
  return text;
}

namespace {
bool looks_like_path(const std::string& text) {
  return text.find('/') != std::string::npos || ends_with(text, ".yaml") || ends_with(text, ".yml");
}
}  // namespace

Result<std::string> ProfileStore::locate(const std::string& name) const {
  if (looks_like_path(name)) return name;
  for (const auto& dir : directories_) {
    for (const char* extension : {".yaml", ".yml"}) {
      std::string candidate = dir + "/" + name + extension;
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) return candidate;
    }
  }
  std::vector<std::string> known;
  for (const auto& dir : directories_) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".yaml") known.push_back(entry.path().stem().string());
    }
  }
  std::string message = "no profile named '" + name + "'";
  if (auto hint = closest_match(name, known)) message += " (did you mean '" + *hint + "'?)";
  message += "; see tune profiles list";
  return Error{message};
}

Result<Profile> ProfileStore::load(const std::string& name_or_path) const {
  auto path = locate(name_or_path);
  if (!path) return path.error();
  auto text = read_input_file(*path);
  if (!text) return text.error();
  return parse_profile(*text, *path);
}

Status ProfileStore::resolve_into(const std::string& name_or_path, std::vector<std::string>& stack,
                                  std::vector<const Profile*>& order,
                                  std::vector<std::unique_ptr<Profile>>& loaded) const {
  // Lineages are a few layers deep; a chain longer than this is a mistake or an attack on the stack.
  constexpr size_t kMaxDepth = 32;
  constexpr size_t kMaxProfiles = 256;
  if (stack.size() >= kMaxDepth) {
    return make_error("{}: profiles extend each other more than {} deep ({} ...)", name_or_path, kMaxDepth,
                      join(std::vector<std::string>(stack.begin(), stack.begin() + 3), " -> "));
  }
  if (loaded.size() >= kMaxProfiles) return make_error("{}: a lineage of more than {} profiles", name_or_path, kMaxProfiles);
  auto profile = load(name_or_path);
  if (!profile) return profile.error();
  const std::string name = profile->name;
  if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
    stack.push_back(name);
    return make_error("{}: profiles extend each other in a cycle: {}", profile->path, join(stack, " -> "));
  }
  for (const Profile* done : order) {
    if (done->name == name) return {};  // a diamond: the shared parent is merged once
  }
  stack.push_back(name);
  for (const auto& parent : profile->extends) {
    // A parent named as a path is relative to the child's directory.
    std::string reference = parent;
    if (looks_like_path(parent) && parent.front() != '/') reference = (fs::path(profile->path).parent_path() / parent).string();
    if (auto status = resolve_into(reference, stack, order, loaded); !status) {
      if (starts_with(status.error().message, "no profile named")) {
        return make_error("{}: extends '{}': {}", profile->path, parent, status.error().message);
      }
      return status;
    }
  }
  stack.pop_back();
  loaded.push_back(std::make_unique<Profile>(std::move(*profile)));
  order.push_back(loaded.back().get());
  return {};
}

namespace {

// A later layer's definition of a setting replaces an earlier one; when it
// holds only under a `when`, the earlier one stays behind it as a fallback.
void merge_setting(std::vector<Setting>& settings, std::map<std::string, size_t>& position, const Setting& setting) {
  auto it = position.find(setting.address());
  if (it == position.end()) {
    position[setting.address()] = settings.size();
    settings.push_back(setting);
    return;
  }
  Setting& existing = settings[it->second];
  Setting merged = setting;
  if (!setting.when.empty()) {
    Setting earlier = existing;
    earlier.otherwise.clear();
    merged.otherwise.push_back(std::move(earlier));
    merged.otherwise.insert(merged.otherwise.end(), existing.otherwise.begin(), existing.otherwise.end());
  }
  existing = std::move(merged);
}

}  // namespace

Result<Profile> ProfileStore::resolve(const std::string& name_or_path) const {
  std::vector<std::string> stack;
  std::vector<const Profile*> order;
  std::vector<std::unique_ptr<Profile>> loaded;
  TUNE_RETURN_IF_ERROR(resolve_into(name_or_path, stack, order, loaded));

  Profile resolved = *order.back();
  resolved.settings.clear();
  resolved.variables.clear();
  resolved.warnings.clear();
  resolved.validate_on.clear();
  std::map<std::string, size_t> position;
  std::map<std::string, size_t> variable_position;
  std::string sources;
  for (const Profile* layer : order) {
    resolved.lineage.push_back(layer->name);
    sources += layer->name + "\n" + layer->text + "\n";
    for (const auto& variable : layer->variables) {
      auto it = variable_position.find(variable.name);
      if (it == variable_position.end()) {
        variable_position[variable.name] = resolved.variables.size();
        resolved.variables.push_back(variable);
      } else {
        resolved.variables[it->second] = variable;
      }
    }
    for (const auto& setting : layer->settings) merge_setting(resolved.settings, position, setting);
    if (!layer->validate_on.empty()) resolved.validate_on = layer->validate_on;
    resolved.warnings.insert(resolved.warnings.end(), layer->warnings.begin(), layer->warnings.end());
  }
  TUNE_RETURN_IF_ERROR(substitute_variables(resolved));
  resolved.digest = sha256_hex(sources);
  return resolved;
}

ProfileStore::Listing ProfileStore::list() const {
  Listing listing;
  std::set<std::string> seen;
  for (const auto& dir : directories_) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (!seen.insert(file.stem().string()).second) continue;
      auto profile = load(file.string());
      if (profile) listing.profiles.push_back(std::move(*profile));
      else listing.errors.push_back(profile.error());
    }
  }
  return listing;
}

}  // namespace tune
