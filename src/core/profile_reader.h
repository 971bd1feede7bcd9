// The strict YAML walking shared by the profile parser's parts: positions,
// errors that name file:line:col, and mappings that refuse duplicate and
// unknown keys. Internal to src/core/profile_*.cpp.
#pragma once

#include "core/knowledge.h"
#include "core/profile.h"
#include "util/text.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace tune {

// Messages quote what the file says; control characters in it are shown as
// \xNN so every message stays one printable line.
inline std::string one_line(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

class Reader {
 public:
  Reader(std::string path, std::vector<std::string>* warnings)
      : path_(std::move(path)), warnings_(warnings), knowledge_(Knowledge::builtin()) {}

  Origin origin(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? Origin{path_, 0, 0} : Origin{path_, mark.line + 1, mark.column + 1};
  }
  Error error_at(const YAML::Node& node, const std::string& message) const {
    return Error{origin(node).str() + ": " + one_line(message)};
  }
  void warn_at(const Origin& where, const std::string& message) const {
    if (warnings_) warnings_->push_back(where.str() + ": " + one_line(message));
  }

  Result<std::string> scalar(const YAML::Node& node, const std::string& what) const {
    if (node.IsNull()) return error_at(node, what + " needs a value");
    if (!node.IsScalar()) return error_at(node, what + " must be a single value");
    return node.Scalar();
  }

  // Walk a mapping's entries in file order, refusing duplicate keys and, when
  // `allowed` is given, keys not in it (with a "did you mean").
  template <class Visit>
  Status each_entry(const YAML::Node& map, const std::string& what, const std::vector<std::string>* allowed,
                    Visit visit) const {
    if (!map.IsMap()) return error_at(map, what + " must be a mapping of keys to values");
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) return error_at(key, "keys in " + what + " must be plain names");
      const std::string name = key.Scalar();
      if (!seen.insert(name).second) return error_at(key, "duplicate key '" + name + "' in " + what);
      if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
        return error_at(key, unknown_key_message(name, what, *allowed));
      }
      TUNE_RETURN_IF_ERROR(visit(name, key, it->second));
    }
    return {};
  }

  static std::string unknown_key_message(const std::string& name, const std::string& what,
                                         const std::vector<std::string>& known) {
    std::string message = "unknown key " + quoted_name(name) + " in " + what;
    if (auto hint = closest_match(name, known)) message += " (did you mean '" + *hint + "'?)";
    return message;
  }

  const std::string& path() const { return path_; }
  const Knowledge& knowledge() const { return knowledge_; }

 private:
  std::string path_;
  std::vector<std::string>* warnings_;
  const Knowledge& knowledge_;
};

// What a setting's value said: what it wants, under which conditions.
struct ParsedValue {
  Want want;
  std::vector<Condition> when;
  bool unchecked = false;  // `unchecked: true`: a key the knowledge base does not know, taken as written
  Origin origin;
};

// profile_values.cpp
// A value as written: a scalar, or { value | at_least | at_most | one_of, when, unchecked }.
Result<ParsedValue> parse_value(const Reader& reader, const YAML::Node& node, const std::string& label);
// Conditions: { fact: value-or-list, ... }; fact names checked against the knowledge base.
Result<std::vector<Condition>> parse_conditions(const Reader& reader, const YAML::Node& node);
// Check a want against the knowledge base: the error (no position), or
// nothing; risky values (and old scheduler names) add warnings at `where`. Values holding ${...} are
// left for resolution.
std::optional<std::string> check_want(const Reader& reader, const KnowledgeEntry& entry, const Want& want,
                                      const std::string& label, const Origin& where);
// The same check at resolution and planning time, without a Reader; each
// warning comes whole ("risky: ...", "old name: ...").
std::optional<std::string> check_want_text(const KnowledgeEntry& entry, const Want& want, const std::string& label,
                                           std::vector<std::string>* risky);
// Whether a mapping is a value form ({at_least: ...}) rather than a nested section.
bool is_value_mapping(const YAML::Node& node);

// profile_sections.cpp: one top-level domain section into settings.
Status parse_section(const Reader& reader, const std::string& domain, const YAML::Node& node, Profile& profile);

// Everything one setting needs to be read and checked.
struct Slot {
  std::string domain;     // the profile domain it lands in
  std::string scope;
  std::string key;        // the setting's key in its domain
  std::string kb_domain;  // where the knowledge base describes it
  std::string kb_key;
  std::string label;      // how messages name it: "block nvme scheduler"
};

// The `when:` of a mapping, added to what encloses it.
Result<std::vector<Condition>> conditions_of(const Reader& reader, const YAML::Node& map,
                                             const std::vector<Condition>& enclosing);
// Read one value into a Setting, checked against the knowledge base (an
// unknown key is an error unless the value says unchecked: true).
Status add_setting(const Reader& reader, Profile& profile, const Slot& slot, const YAML::Node& key_node,
                   const YAML::Node& value_node, const std::vector<Condition>& enclosing);

// Domains whose sections are not flat, each in its own file
// (profile_section_net.cpp, profile_section_sysfs.cpp, profile_section_modules.cpp).
Status parse_net_section(const Reader& reader, const YAML::Node& node, Profile& profile);
Status parse_sysfs_section(const Reader& reader, const YAML::Node& node, Profile& profile);
Status parse_modules_section(const Reader& reader, const YAML::Node& node, Profile& profile);

}  // namespace tune
