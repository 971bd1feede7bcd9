// One setting kept in one file per member (a governor per cpufreq policy, an
// energy bias per CPU) is shown and journaled as one value: the value when
// every member has it ("performance"), else each member's
// ("policy0=performance policy1=powersave"). Restoring either form puts
// every member back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

using MemberValues = std::vector<std::pair<std::string, std::string>>;  // in member order

std::string encode_members(const MemberValues& values);

// The value for each of members, from either form; nullopt when the text
// names a member that is not there, or leaves one out.
std::optional<std::map<std::string, std::string>> decode_members(const std::string& text,
                                                                 const std::vector<std::string>& members);

// Whether two encoded values say the same of every member, comparing each
// member's value with `equal`.
bool same_members(const std::string& a, const std::string& b,
                  bool (*equal)(const std::string&, const std::string&) = nullptr);

}  // namespace tune::linux_platform
