#include "core/sysfs_paths.h"

#include "util/text.h"

#include <cctype>

namespace tune {
namespace {

bool allowed_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string("/_-.:,+@!=*?").find(c) != std::string::npos;
}

// "cpu:boost" -> "cpu boost": how messages name a setting of another domain.
std::string setting_words(const std::string& replacement) {
  std::string words = replacement;
  if (auto colon = words.find(':'); colon != std::string::npos) words[colon] = ' ';
  return words;
}

}  // namespace

bool has_sysfs_glob(const std::string& path) { return path.find_first_of("*?") != std::string::npos; }

std::optional<std::string> sysfs_path_problem(const std::string& path) {
  if (path.find("${") != std::string::npos) return "a sysfs path must be written out: variables are allowed in values only";
  if (!starts_with(path, "/sys/") || path.size() == 5) return "a sysfs path is absolute and under /sys (/sys/kernel/mm/ksm/run)";
  if (path.size() > 1024) return "the path is longer than 1024 characters";
  if (path.back() == '/') return "a sysfs path names a file, not a directory (no trailing '/')";
  if (path.find("//") != std::string::npos) return "the path has an empty component ('//')";
  for (const auto& component : split(path.substr(1), '/')) {
    if (component == "." || component == "..") return "the path must not hold '.' or '..' components";
  }
  for (char c : path) {
    if (!allowed_character(c)) {
      return std::string("the path holds a character tune does not take in sysfs paths ('") +
             (std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : std::string("\\x..")) +
             "'; globs are '*' and '?')";
    }
  }
  return std::nullopt;
}

std::optional<std::string> sysfs_refusal(const Knowledge& knowledge, const std::string& path) {
  const KnowledgeEntry* best = knowledge.find_by_path(path);
  if (best && best->domain != "sysfs") {
    return "it is tune's " + best->domain + " " + best->key + " setting: use " + best->domain + " " + best->key +
           " (the " + best->domain + " domain reads, persists and restores it)";
  }
  // A module parameter is set for every load in modprobe.d, not only live.
  const auto parts = split(path.substr(1), '/');
  if (parts.size() == 5 && parts[1] == "module" && parts[3] == "parameters") {
    return "it is a parameter of the module " + parts[2] + ": use modules: { " + parts[2] + ": { " + parts[4] +
           ": VALUE } } (set live where the module allows it, and in modprobe.d for every load)";
  }
  for (const auto& entry : knowledge.entries()) {
    if (!entry.never_write) continue;
    for (const auto& pattern : entry.paths) {
      if (glob_match(pattern, path, '/')) return "tune never writes it: " + entry.say;
    }
  }
  if (best && !best->replacement.empty() && best->status == Verdict::Mapped) {
    return best->say + " Use " + setting_words(best->replacement) + " instead.";
  }
  return std::nullopt;
}

const KnowledgeEntry* sysfs_entry(const Knowledge& knowledge, const std::string& path) {
  const KnowledgeEntry* best = knowledge.find_by_path(path);
  return best && best->domain == "sysfs" && !best->never_write ? best : nullptr;
}

bool sysfs_glob_component_match(const std::string& pattern, const std::string& name) {
  // Backtracking over '*'; a component holds few of them.
  size_t p = 0, n = 0, star = std::string::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace tune
