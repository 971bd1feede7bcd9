// pam_limits as a model: the limits.conf(5) lines a new login session reads
// and the soft and hard values they leave it with. pam reads
// /etc/security/limits.conf, then /etc/security/limits.d/*.conf in name
// order; a user's own lines beat @group lines, which beat "*" lines; among
// lines of equal rank a later one wins; "*" and group lines skip root. A
// value no line sets is inherited from whoever started the login (the
// service manager's default).
#pragma once

#include "platform/linux/config_files.h"
#include "platform/linux/limit_table.h"
#include "platform/linux/login_subject.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kLimitsConf = "/etc/security/limits.conf";
inline constexpr const char* kLimitsDir = "/etc/security/limits.d";

// One line: `<domain> <type> <item> <value>`, or `<domain> -`, which gives
// the matching sessions no limits at all. Type, item and value are lowercased
// as pam does.
struct PamEntry {
  std::string domain;
  std::string type;
  std::string item;
  std::string value;
  bool no_limits = false;
  std::string file;
  int line = 0;

  std::string where() const { return file + ":" + std::to_string(line); }
};

// The entries of one file; lines pam would skip as invalid are left out.
std::vector<PamEntry> parse_limits_conf(const std::string& text, const std::string& path);

// limits.conf and limits.d/*.conf: the files pam reads.
Result<ConfigSet> pam_limits_files(const System& system);

// Every entry of files, in the order pam reads them.
std::vector<PamEntry> pam_entries(const std::vector<ConfigFile>& files);

// One limit as a session gets it, and which line gave each part.
struct LoginLimit {
  RlimPair value;
  std::string soft_from;      // "file:line"; empty: inherited
  std::string hard_from;
  std::string stopped_by;     // a `<domain> -` line that switched limits off for this subject
  bool soft_clamped = false;  // the soft value asked for was above the hard one, which pam applies instead
};

// What a session of subject gets for limit. `inherited` is what it has
// before pam runs; nr_open is /proc/sys/fs/nr_open, which pam puts in place
// of an unlimited nofile.
LoginLimit login_limit(const std::vector<PamEntry>& entries, const LoginSubject& subject, const LimitInfo& limit,
                       const RlimPair& inherited, std::optional<unsigned long long> nr_open);

}  // namespace tune::linux_platform
