#include "platform/linux/login_subject.h"

#include "platform/linux/config_files.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

// Only the files: users and groups from LDAP or sssd are not seen, and are
// taken to be in no group.
constexpr const char* kPasswd = "/etc/passwd";
constexpr const char* kGroup = "/etc/group";

std::optional<uint32_t> parse_id(const std::string& text) {
  auto value = parse_integer(text);
  if (!value || *value < 0 || *value > 0xffffffffLL) return std::nullopt;
  return static_cast<uint32_t>(*value);
}

struct GroupLine {
  std::string name;
  std::optional<uint32_t> gid;
  std::vector<std::string> members;
};

std::vector<GroupLine> parse_groups(const std::string& text) {
  std::vector<GroupLine> groups;
  for (const auto& line : split_lines(text)) {
    auto fields = split(line, ':');
    if (fields.size() < 4 || fields[0].empty() || fields[0][0] == '#') continue;
    GroupLine group{fields[0], parse_id(fields[2]), {}};
    for (const auto& member : split(fields[3], ',')) {
      if (!trim(member).empty()) group.members.push_back(trim(member));
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

void add_group(LoginSubject& subject, const GroupLine& group) {
  if (std::find(subject.groups.begin(), subject.groups.end(), group.name) != subject.groups.end()) return;
  subject.groups.push_back(group.name);
  if (group.gid) subject.gids.push_back(*group.gid);
}

}  // namespace

Result<LoginSubject> login_subject(const System& system, const std::string& item) {
  LoginSubject subject;
  if (item == "*") return subject;
  if (item.empty() || item[0] == '%') return make_error("limits: '{}' is not \"*\", a user name or @group", item);
  auto group_text = read_if_present(system, kGroup);
  if (!group_text) return group_text.error();
  const std::vector<GroupLine> groups = parse_groups(group_text->value_or(""));
  if (item[0] == '@') {
    const std::string name = item.substr(1);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const GroupLine& g) { return g.name == name; });
    if (it == groups.end()) {
      subject.groups.push_back(name);
    } else {
      add_group(subject, *it);
      subject.gid = it->gid;
    }
    return subject;
  }
  subject.user = item;
  auto passwd_text = read_if_present(system, kPasswd);
  if (!passwd_text) return passwd_text.error();
  for (const auto& line : split_lines(passwd_text->value_or(""))) {
    auto fields = split(line, ':');
    if (fields.size() < 4 || fields[0] != item) continue;
    subject.uid = parse_id(fields[2]);
    subject.gid = parse_id(fields[3]);
    break;
  }
  for (const auto& group : groups) {
    const bool primary = subject.gid && group.gid == subject.gid;
    const bool member = std::find(group.members.begin(), group.members.end(), item) != group.members.end();
    if (primary || member) add_group(subject, group);
  }
  subject.root = item == "root" || subject.uid == std::optional<uint32_t>(0);
  return subject;
}

}  // namespace tune::linux_platform
