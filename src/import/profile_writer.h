// ProfileWriter: builds the YAML text of a tune profile from settings found
// elsewhere (pasted advice, TuneD profiles), with a comment per setting
// saying where it came from, and a list of what was left out and why.
#pragma once

#include "core/profile.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::import {

class ProfileWriter {
 public:
  ProfileWriter(std::string name, std::string summary) : name_(std::move(name)), summary_(std::move(summary)) {}

  // Add a setting; a later one for the same address replaces the earlier
  // and says so. `key` as in Setting ("transparent_hugepages.enabled",
  // "hugepages.count", "nofile.soft", "swapfile.size").
  void add(const std::string& domain, const std::string& scope, const std::string& key, const Want& want,
           const std::string& comment, const std::vector<Condition>& when = {});
  // Something that could not be carried over, and why.
  void leave_out(const std::string& what, const std::string& why) { left_out_.push_back(what + ": " + why); }
  // Something tune deliberately does not do, and why (a script, dynamic
  // tuning): listed apart from what was not converted.
  void refuse(const std::string& what, const std::string& why) { refused_.push_back(what + ": " + why); }
  // A profile variable (`variables:`), with a comment above it.
  void add_variable(const std::string& name, const std::string& value, const std::string& comment);
  void add_header_comment(const std::string& line) { header_.push_back(line); }
  void set_summary(const std::string& summary) { summary_ = summary; }
  // A setting tune's knowledge base does not describe, carried as written
  // (`unchecked: true`).
  void add_unchecked(const std::string& domain, const std::string& key, const std::string& value, const std::string& comment);

  // Why the profile parser would refuse this one setting, written alone
  // (a value or condition the converter let through); nullopt when it reads.
  static std::optional<std::string> refusal_of(const std::string& domain, const std::string& scope, const std::string& key,
                                               const Want& want, const std::vector<Condition>& when);

  // The same for a variable written alone.
  static std::optional<std::string> variable_refusal(const std::string& name, const std::string& value);

  size_t size() const { return settings_.size(); }
  // What is written at an address so far, and under which conditions.
  std::optional<std::pair<Want, std::vector<Condition>>> find(const std::string& domain, const std::string& scope,
                                                               const std::string& key) const {
    for (const auto& entry : settings_) {
      if (entry.domain == domain && entry.scope == scope && entry.key == key) return std::make_pair(entry.want, entry.when);
    }
    return std::nullopt;
  }
  const std::vector<std::string>& left_out() const { return left_out_; }
  const std::vector<std::string>& refused() const { return refused_; }

  // The profile's YAML text.
  std::string yaml() const;

 private:
  struct Entry {
    std::string domain, scope, key;
    Want want;
    std::vector<Condition> when;
    std::vector<std::string> comments;
    bool unchecked = false;
  };
  std::string name_;
  std::string summary_;
  std::vector<std::string> header_;
  std::vector<Entry> settings_;  // in order of first appearance
  std::vector<std::string> left_out_;
  std::vector<std::string> refused_;
  struct Var {
    std::string name, value, comment;
  };
  std::vector<Var> variables_;
};

// A scalar as YAML: plain when unambiguous, otherwise double-quoted.
std::string yaml_scalar(const std::string& text);

}  // namespace tune::import
