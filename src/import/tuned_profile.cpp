#include "import/tuned_profile.h"

#include "core/profile_store.h"
#include "import/tuned_variable_defaults.h"
#include "util/text.h"

#include <algorithm>
#include <filesystem>

namespace tune::import {

namespace fs = std::filesystem;

const TunedOption* TunedSection::find(const std::string& key) const {
  for (const auto& option : options) {
    if (option.key == key) return &option;
  }
  return nullptr;
}

std::string TunedSection::get(const std::string& key) const {
  const TunedOption* option = find(key);
  return option ? option->value : "";
}

std::string TunedSection::plugin() const {
  std::string type = get("type");
  if (!type.empty()) return type;
  return name.substr(0, name.find('.'));
}

Result<std::vector<TunedSection>> parse_tuned_conf(const std::string& text, const std::string& origin) {
  std::vector<TunedSection> sections;
  auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = trim(lines[i]);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::string where = origin + ":" + std::to_string(i + 1);
    // Nothing tune writes may carry them, so refuse them where they arrive.
    if (!is_plain_text(line)) return make_error("{}: a line must be UTF-8 text without control characters", where);
    if (line[0] == '[') {
      if (line.back() != ']' || line.size() < 3) return make_error("{}: a section header looks like [name]", where);
      std::string name = trim(line.substr(1, line.size() - 2));
      auto existing = std::find_if(sections.begin(), sections.end(), [&](const TunedSection& s) { return s.name == name; });
      if (existing == sections.end()) sections.push_back({name, {}});
      else std::rotate(existing, existing + 1, sections.end());  // reopened: keep adding to it
      continue;
    }
    auto equals = line.find('=');
    if (equals == std::string::npos) return make_error("{}: expected key=value, not a line {}", where, quoted_name(line));
    if (sections.empty()) return make_error("{}: an option before any [section]", where);
    std::string key = trim(line.substr(0, equals));
    std::string value = trim(line.substr(equals + 1));
    // configobj's inline comments: " # ..." outside quotes.
    if (!value.empty() && value.front() != '"' && value.front() != '\'') {
      auto hash = value.find(" #");
      if (hash != std::string::npos) value = trim(value.substr(0, hash));
    }
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    auto& options = sections.back().options;
    auto same = std::find_if(options.begin(), options.end(), [&](const TunedOption& o) { return o.key == key; });
    if (same != options.end()) options.erase(same);
    options.push_back({key, value, where});
  }
  return sections;
}

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

struct Loader {
  std::vector<std::string> search;
  TunedVariableSources sources;
  std::vector<std::string> stack;
  TunedProfile result;

  Result<std::string> locate(const std::string& reference, const std::string& from_dir) {
    std::error_code ec;
    if (reference.find('/') != std::string::npos) {
      fs::path path(reference);
      if (fs::is_directory(path, ec)) path /= "tuned.conf";
      if (fs::is_regular_file(path, ec)) return path.string();
      return make_error("no TuneD profile at {}", reference);
    }
    std::vector<std::string> dirs;
    if (!from_dir.empty()) dirs.push_back(from_dir);
    dirs.insert(dirs.end(), search.begin(), search.end());
    for (const auto& dir : dirs) {
      fs::path candidate = fs::path(dir) / reference / "tuned.conf";
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
    }
    return make_error("no TuneD profile named '{}' in {}", reference, join(dirs, ", "));
  }

  // `include=${f:virt_check:virtual-guest:throughput-performance}` picks the
  // first on a virtual machine and the second elsewhere: take the bare-metal
  // branch and say so.
  std::string choose_include(const std::string& reference) {
    const std::string prefix = "${f:virt_check:";
    if (!starts_with(reference, prefix) || reference.back() != '}') return reference;
    auto parts = split(reference.substr(prefix.size(), reference.size() - prefix.size() - 1), ':');
    if (parts.size() != 2) return reference;
    result.refusals.push_back("[main] include=" + reference + ": TuneD includes " + parts[0] + " on virtual machines and " +
                              parts[1] + " elsewhere; a tune profile extends one parent, so this is the bare-metal branch (" +
                              parts[1] + "): convert a profile that includes " + parts[0] + " for guests");
    return parts[1];
  }

  void merge(std::vector<TunedSection>& into, const TunedSection& section) {
    auto existing = std::find_if(into.begin(), into.end(), [&](const TunedSection& s) { return s.name == section.name; });
    if (existing == into.end()) {
      into.push_back(section);
      return;
    }
    if (section.get("replace") == "1" || section.get("replace") == "true") {
      *existing = section;
      return;
    }
    for (const auto& option : section.options) {
      auto same = std::find_if(existing->options.begin(), existing->options.end(),
                               [&](const TunedOption& o) { return o.key == option.key; });
      if (same != existing->options.end()) *same = option;
      else existing->options.push_back(option);
    }
  }

  Status load(const std::string& reference, const std::string& from_dir, bool outermost) {
    auto located = locate(reference, from_dir);
    if (!located) return located.error();
    const std::string path = *located;
    std::string name = fs::path(path).parent_path().filename().string();
    if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
      stack.push_back(name);
      return make_error("TuneD profiles include each other in a cycle: {}", join(stack, " -> "));
    }
    // TuneD's own profiles include two or three deep; far deeper is an attack on the stack.
    if (stack.size() >= 32) return make_error("TuneD profiles include each other more than 32 deep (from {})", stack.front());
    auto text = read_input_file(path);
    if (!text) return text.error();
    auto parsed = parse_tuned_conf(*text, name + "/tuned.conf");
    if (!parsed) return parsed.error();
    stack.push_back(name);
    if (outermost) {  // also for a profile without [main]
      result.name = name;
      result.dir = fs::path(path).parent_path().string();
    }
    const std::string parent_dir = fs::path(path).parent_path().parent_path().string();
    for (const auto& section : *parsed) {
      if (section.name != "main") continue;
      for (const auto& include : split(section.get("include"), ',')) {
        std::string chosen = choose_include(trim(include));
        if (chosen.empty()) continue;
        if (chosen.find("${") != std::string::npos) {
          result.refusals.push_back("[main] include=" + chosen + ": the profile to include depends on a TuneD function "
                                    "tune cannot decide while converting; not followed");
          continue;
        }
        TUNE_RETURN_IF_ERROR(load(chosen, parent_dir, false));
        result.includes.push_back(chosen);
      }
      if (outermost) result.summary = section.get("summary");
    }
    for (const auto& section : *parsed) {
      if (section.name == "main") continue;
      if (section.name == "variables") {
        for (const auto& option : section.options) {
          if (option.key == "include") {
            TUNE_RETURN_IF_ERROR(include_variables(option, parent_dir));
            continue;
          }
          set_variable(option);
        }
        continue;
      }
      merge(result.sections, section);
    }
    stack.pop_back();
    return {};
  }

  // `[variables] include=FILE`: the user's --variables file, else the file in
  // the TuneD tree the profile came from, else at its path, else what
  // TuneD's package ships under that name.
  Status include_variables(const TunedOption& option, const std::string& profiles_dir) {
    std::string text, from;
    std::error_code ec;
    const std::string file_name = fs::path(option.value).filename().string();
    // R/usr/lib/tuned -> R/etc/tuned
    const fs::path tree_etc = fs::path(profiles_dir).parent_path().parent_path().parent_path() / "etc" / "tuned" / file_name;
    if (!sources.file.empty()) {
      auto file = read_input_file(sources.file);
      if (!file) return file.error();
      text = *file;
      from = sources.file + " (--variables, in place of " + option.value + ")";
    } else if (fs::is_regular_file(tree_etc, ec)) {
      auto file = read_input_file(tree_etc.string());
      if (!file) return file.error();
      text = *file;
      from = tree_etc.string();
    } else if (fs::is_regular_file(option.value, ec)) {
      auto file = read_input_file(option.value);
      if (!file) return file.error();
      text = *file;
      from = option.value;
    } else if (auto shipped = shipped_tuned_variables(file_name)) {
      text = *shipped;
      from = "the " + file_name + " TuneD's package ships (" + option.value + " is not here)";
    } else {
      result.notes.push_back("[variables] include=" + option.value + " (" + option.origin +
                             "): no such file, and TuneD ships none of that name; its variables stay unset");
      return {};
    }
    auto inner = parse_tuned_conf("[variables]\n" + text, from);
    if (!inner) return inner.error();
    result.notes.push_back("variables of [variables] include=" + option.value + " read from " + from);
    if (!inner->empty()) {
      for (const auto& variable : inner->front().options) set_variable(variable);
    }
    return {};
  }

  // TuneD expands a variable when it is defined, so `x = ${x}` keeps the
  // value x had (from an included file) and is a no-op; without one, x is
  // only itself: a variable TuneD has no value for. tune expands variables
  // where they are used, so the self-reference is resolved here, once.
  void set_variable(TunedOption option) {
    for (const auto& [name, value] : sources.overrides) {
      if (name == option.key) return;  // --set is final
    }
    const std::string self = "${" + option.key + "}";
    auto same = std::find_if(result.variables.begin(), result.variables.end(),
                             [&](const TunedOption& o) { return o.key == option.key; });
    if (option.value.find(self) != std::string::npos) {
      if (same == result.variables.end()) {
        if (option.value == self) {
          if (std::find(result.without_default.begin(), result.without_default.end(), option.key) == result.without_default.end()) {
            result.without_default.push_back(option.key);
          }
          option.value.clear();
          result.variables.push_back(option);
          return;
        }
      } else {
        option.value = replace_all(option.value, self, same->value);
      }
    }
    // A later definition gives the variable a value after all.
    result.without_default.erase(std::remove(result.without_default.begin(), result.without_default.end(), option.key),
                                 result.without_default.end());
    if (same != result.variables.end()) {
      *same = option;
      return;
    }
    result.variables.push_back(option);
  }
};

}  // namespace

Result<TunedProfile> load_tuned_profile(const std::string& path_or_name, const std::vector<std::string>& search,
                                        const TunedVariableSources& sources) {
  Loader loader;
  loader.search = search;
  loader.sources = sources;
  for (const auto& [name, value] : sources.overrides) loader.result.variables.push_back({name, value, "--set " + name});
  TUNE_RETURN_IF_ERROR(loader.load(path_or_name, "", true));
  return std::move(loader.result);
}

}  // namespace tune::import
