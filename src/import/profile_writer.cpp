#include "import/profile_writer.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

namespace tune::import {
namespace {

std::string want_yaml(const Want& want, const std::vector<Condition>& when) {
  std::string conditions;
  if (!when.empty()) {
    std::vector<std::string> parts;
    for (const auto& condition : when) {
      std::vector<std::string> alternatives;
      for (const auto& alternative : condition.alternatives) alternatives.push_back(yaml_scalar(alternative));
      parts.push_back(condition.fact + ": " +
                      (alternatives.size() == 1 ? alternatives[0] : "[" + join(alternatives, ", ") + "]"));
    }
    conditions = ", when: { " + join(parts, ", ") + " }";
  }
  switch (want.op) {
    case Want::Op::Exact:
      return conditions.empty() ? yaml_scalar(want.values.at(0)) : "{ value: " + yaml_scalar(want.values.at(0)) + conditions + " }";
    case Want::Op::AtLeast: return "{ at_least: " + yaml_scalar(want.values.at(0)) + conditions + " }";
    case Want::Op::AtMost: return "{ at_most: " + yaml_scalar(want.values.at(0)) + conditions + " }";
    case Want::Op::OneOf: {
      std::vector<std::string> items;
      for (const auto& value : want.values) items.push_back(yaml_scalar(value));
      return "{ one_of: [" + join(items, ", ") + "]" + conditions + " }";
    }
  }
  return "";
}

// Comments quote other files; their control characters and stray bytes are
// written as \xNN so the profile stays valid YAML.
std::string comment_text(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

void write_comments(std::string& out, const std::vector<std::string>& comments, const std::string& indent) {
  for (const auto& comment : comments) out += indent + "# " + comment_text(comment) + "\n";
}

}  // namespace

namespace {

bool valid_utf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t j = 1; j < length; ++j) {
      if ((static_cast<unsigned char>(text[i + j]) >> 6) != 0x2) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

std::string yaml_scalar(const std::string& text) {
  // Control characters and bytes that are not UTF-8 only fit escaped.
  const bool utf8 = valid_utf8(text);
  bool needs_escapes = !utf8 || std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f;
  });
  if (needs_escapes) {
    static const char* const kHex = "0123456789abcdef";
    std::string quoted = "\"";
    for (char c : text) {
      unsigned char byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7f || (!utf8 && byte >= 0x80)) {
        quoted += "\\x";
        quoted += kHex[byte >> 4];
        quoted += kHex[byte & 15];
      } else {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
    }
    return quoted + "\"";
  }
  // Plain only for the plainest text; anything else is double-quoted, which
  // YAML reads back exactly.
  static const std::set<std::string> kWords = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ""};
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool plain = !kWords.count(lower) && (std::isalnum(static_cast<unsigned char>(text[0])) || text[0] == '_' || text[0] == '/') &&
               std::all_of(text.begin(), text.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || std::string("_./+=-").find(c) != std::string::npos;
               });
  if (plain) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

void ProfileWriter::add(const std::string& domain, const std::string& scope, const std::string& key, const Want& want,
                        const std::string& comment, const std::vector<Condition>& when) {
  // A limit is written either plain (soft and hard alike) or split; when
  // both forms turn up for one item, the plain one is split.
  if (domain == "limits") {
    bool split_form = ends_with(key, ".soft") || ends_with(key, ".hard");
    std::string limit = split_form ? key.substr(0, key.size() - 5) : key;
    auto plain = std::find_if(settings_.begin(), settings_.end(), [&](const Entry& e) {
      return e.domain == domain && e.scope == scope && e.key == limit;
    });
    bool has_split = std::any_of(settings_.begin(), settings_.end(), [&](const Entry& e) {
      return e.domain == domain && e.scope == scope && (e.key == limit + ".soft" || e.key == limit + ".hard");
    });
    if (split_form && plain != settings_.end()) {
      Entry hard = *plain;
      plain->key = limit + ".soft";
      hard.key = limit + ".hard";
      settings_.insert(plain + 1, hard);
    } else if (!split_form && has_split) {
      add(domain, scope, limit + ".soft", want, comment, when);
      add(domain, scope, limit + ".hard", want, comment, when);
      return;
    }
  }
  for (auto& entry : settings_) {
    if (entry.domain == domain && entry.scope == scope && entry.key == key) {
      bool same = entry.want.op == want.op && entry.want.values == want.values && entry.when.empty() && when.empty();
      entry.comments.push_back("then " + comment + (same ? " (the same again)" : " (this replaces " + want_yaml(entry.want, entry.when) + ")"));
      entry.want = want;
      entry.when = when;
      return;
    }
  }
  settings_.push_back({domain, scope, key, want, when, {comment}});
}

namespace {

// The parser's message without its location: it points into the check, not at any file the user has.
std::string without_location(std::string message) {
  const std::string prefix = "check.yaml:";
  if (message.rfind(prefix, 0) != 0) return message;
  size_t colons = 0, at = prefix.size();
  while (at < message.size() && colons < 2) {
    if (message[at] == ':') ++colons;
    ++at;
  }
  return trim(message.substr(at));
}

}  // namespace

std::optional<std::string> ProfileWriter::variable_refusal(const std::string& name, const std::string& value) {
  ProfileWriter alone("check", "one variable");
  alone.add_variable(name, value, "");
  auto parsed = parse_profile(alone.yaml(), "check.yaml");
  if (parsed) return std::nullopt;
  return without_location(parsed.error().message);
}

std::optional<std::string> ProfileWriter::refusal_of(const std::string& domain, const std::string& scope,
                                                    const std::string& key, const Want& want,
                                                    const std::vector<Condition>& when) {
  ProfileWriter alone("check", "one setting");
  alone.add(domain, scope, key, want, "", when);
  auto parsed = parse_profile(alone.yaml(), "check.yaml");
  if (parsed) return std::nullopt;
  return without_location(parsed.error().message);
}

void ProfileWriter::add_unchecked(const std::string& domain, const std::string& key, const std::string& value,
                                  const std::string& comment) {
  add(domain, "", key, Want{Want::Op::Exact, {value}}, comment + " (not in tune's knowledge base: unchecked)");
  for (auto& entry : settings_) {
    if (entry.domain == domain && entry.scope.empty() && entry.key == key) entry.unchecked = true;
  }
}

void ProfileWriter::add_variable(const std::string& name, const std::string& value, const std::string& comment) {
  for (auto& variable : variables_) {
    if (variable.name == name) {
      variable = {name, value, comment};
      return;
    }
  }
  variables_.push_back({name, value, comment});
}

std::string ProfileWriter::yaml() const {
  std::string out;
  for (const auto& line : header_) out += "# " + comment_text(line) + "\n";
  out += "name: " + yaml_scalar(name_) + "\n";
  out += "summary: " + yaml_scalar(summary_) + "\n";
  if (!variables_.empty()) {
    out += "variables:\n";
    for (const auto& variable : variables_) {
      if (!variable.comment.empty()) out += "  # " + comment_text(variable.comment) + "\n";
      out += "  " + variable.name + ": " + yaml_scalar(variable.value) + "\n";
    }
  }
  for (const auto& domain : profile_domains()) {
    std::vector<const Entry*> entries;
    for (const auto& entry : settings_) {
      if (entry.domain == domain) entries.push_back(&entry);
    }
    if (entries.empty()) continue;
    out += domain + ":\n";
    if (domain == "sysctl" || domain == "cpu" || domain == "boot" || domain == "power" || domain == "irq" ||
        domain == "systemd" || domain == "selinux" || domain == "sysfs") {
      for (const Entry* entry : entries) {
        write_comments(out, entry->comments, "  ");
        std::string value = want_yaml(entry->want, entry->when);
        if (entry->unchecked) value = "{ value: " + yaml_scalar(entry->want.values.at(0)) + ", unchecked: true }";
        out += "  " + yaml_scalar(entry->key) + ": " + value + "\n";
      }
      continue;
    }
    if (domain == "memory" || domain == "swap") {
      // transparent_hugepages.enabled -> transparent_hugepages: { enabled }, hugepages per size,
      // swapfile.size -> swapfile: { size }.
      std::vector<std::string> groups;
      for (const Entry* entry : entries) {
        std::string group = entry->key.substr(0, entry->key.find('.'));
        if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
      }
      for (const auto& group : groups) {
        out += "  " + group + ":\n";
        std::vector<std::string> scopes;
        for (const Entry* entry : entries) {
          if (entry->key.substr(0, entry->key.find('.')) != group) continue;
          if (group == "hugepages") {
            if (std::find(scopes.begin(), scopes.end(), entry->scope) == scopes.end()) scopes.push_back(entry->scope);
            continue;
          }
          write_comments(out, entry->comments, "    ");
          out += "    " + entry->key.substr(group.size() + 1) + ": " + want_yaml(entry->want, entry->when) + "\n";
        }
        for (const auto& size : scopes) {
          out += "    " + size + ":\n";
          for (const Entry* entry : entries) {
            if (entry->scope != size || entry->key.substr(0, 9) != "hugepages") continue;
            write_comments(out, entry->comments, "      ");
            out += "      " + entry->key.substr(10) + ": " + want_yaml(entry->want, entry->when) + "\n";
          }
        }
      }
      continue;
    }
    if (domain == "net") {
      // all: { features: { gro: off } } from scope "all", key "features.gro".
      std::vector<std::string> scopes;
      for (const Entry* entry : entries) {
        if (std::find(scopes.begin(), scopes.end(), entry->scope) == scopes.end()) scopes.push_back(entry->scope);
      }
      for (const auto& scope : scopes) {
        out += "  " + yaml_scalar(scope) + ":\n";
        std::vector<std::string> groups;
        for (const Entry* entry : entries) {
          std::string group = entry->key.substr(0, entry->key.find('.'));
          if (entry->scope == scope && std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
        }
        for (const auto& group : groups) {
          out += "    " + group + ":\n";
          for (const Entry* entry : entries) {
            if (entry->scope != scope || entry->key.substr(0, entry->key.find('.')) != group) continue;
            write_comments(out, entry->comments, "      ");
            out += "      " + yaml_scalar(entry->key.substr(group.size() + 1)) + ": " + want_yaml(entry->want, entry->when) + "\n";
          }
        }
      }
      continue;
    }
    // Scoped domains: block classes, limits items, units, modules.
    std::vector<std::string> scopes;
    for (const Entry* entry : entries) {
      if (std::find(scopes.begin(), scopes.end(), entry->scope) == scopes.end()) scopes.push_back(entry->scope);
    }
    for (const auto& scope : scopes) {
      out += "  " + yaml_scalar(scope) + ":\n";
      std::vector<std::string> written;
      for (const Entry* entry : entries) {
        if (entry->scope != scope) continue;
        std::string key = entry->key;
        if (domain == "limits" && (ends_with(key, ".soft") || ends_with(key, ".hard"))) {
          // nofile.soft + nofile.hard -> nofile: { soft, hard }
          std::string limit = key.substr(0, key.size() - 5);
          if (std::find(written.begin(), written.end(), limit) != written.end()) continue;
          written.push_back(limit);
          out += "    " + limit + ":\n";
          for (const Entry* part : entries) {
            if (part->scope != scope || part->key.rfind(limit + ".", 0) != 0) continue;
            write_comments(out, part->comments, "      ");
            out += "      " + part->key.substr(limit.size() + 1) + ": " + want_yaml(part->want, part->when) + "\n";
          }
          continue;
        }
        write_comments(out, entry->comments, "    ");
        out += "    " + yaml_scalar(key) + ": " + want_yaml(entry->want, entry->when) + "\n";
      }
    }
  }
  if (!refused_.empty()) {
    out += "# Refused (what tune deliberately does not do, and why):\n";
    for (const auto& line : refused_) out += "#   " + comment_text(line) + "\n";
  }
  if (!left_out_.empty()) {
    out += "# Not carried over:\n";
    for (const auto& line : left_out_) out += "#   " + comment_text(line) + "\n";
  }
  return out;
}

}  // namespace tune::import
