#include "platform/linux/pam_limits.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <climits>

namespace tune::linux_platform {
namespace {

// pam's ranks: a lower one wins over a higher one, equal ones go to the later line.
constexpr int kUserRank = 0;
constexpr int kGroupRank = 1;
constexpr int kDefaultRank = 4;
constexpr int kUnset = 6;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A uid or gid range, "1000:", ":1000" or "1000:2000", as parse_uid_range reads it.
struct IdRange {
  enum class Kind { None, One, Min, MinMax, Invalid };
  Kind kind = Kind::None;
  unsigned long long min = 0;
  unsigned long long max = 0;
};

bool all_digits(const std::string& text) {
  return !text.empty() && text.size() < 20 &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

IdRange parse_range(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos) return {};
  const std::string low = text.substr(0, colon);
  const std::string high = text.substr(colon + 1);
  IdRange range;
  if (low.empty()) {
    if (!all_digits(high)) return {IdRange::Kind::Invalid};
    range.kind = IdRange::Kind::One;
    range.min = range.max = std::stoull(high);
    return range;
  }
  if (!all_digits(low)) return {IdRange::Kind::Invalid};
  range.min = std::stoull(low);
  if (high.empty()) {
    range.kind = IdRange::Kind::Min;
    return range;
  }
  if (!all_digits(high)) return {IdRange::Kind::Invalid};
  range.kind = IdRange::Kind::MinMax;
  range.max = std::stoull(high);
  return range;
}

bool in_range(const IdRange& range, std::optional<uint32_t> id) {
  if (!id) return false;
  switch (range.kind) {
    case IdRange::Kind::One: return *id == range.max;
    case IdRange::Kind::Min: return *id >= range.min;
    case IdRange::Kind::MinMax: return *id >= range.min && *id <= range.max;
    default: return false;
  }
}

// The rank a line's domain has for subject; nullopt when it does not apply.
std::optional<int> rank_of(const PamEntry& entry, const LoginSubject& subject) {
  const std::string& domain = entry.domain;
  if (!subject.user.empty() && domain == subject.user) return kUserRank;
  if (domain[0] == '@') {
    if (subject.root) return std::nullopt;
    const std::string group = domain.substr(1);
    IdRange range = parse_range(group);
    if (range.kind == IdRange::Kind::None) {
      return std::find(subject.groups.begin(), subject.groups.end(), group) != subject.groups.end()
                 ? std::optional<int>(kGroupRank)
                 : std::nullopt;
    }
    if (range.kind == IdRange::Kind::One) {
      return std::find(subject.gids.begin(), subject.gids.end(), range.max) != subject.gids.end()
                 ? std::optional<int>(kGroupRank)
                 : std::nullopt;
    }
    // Ranges look at the primary group only.
    return in_range(range, subject.gid) ? std::optional<int>(kGroupRank) : std::nullopt;
  }
  // '%' lines count logins of a whole group (maxsyslogins): not a session limit.
  if (domain[0] == '%') return std::nullopt;
  if (domain == "*") {
    if (subject.root || entry.no_limits) return std::nullopt;
    return kDefaultRank;
  }
  IdRange range = parse_range(domain);
  return in_range(range, subject.uid) ? std::optional<int>(kUserRank) : std::nullopt;
}

// A leading whole number as strtol/strtoull read it; nullopt when there is none.
std::optional<std::string> leading_number(const std::string& text, bool signed_allowed) {
  size_t i = 0;
  std::string sign;
  if (signed_allowed && i < text.size() && (text[i] == '-' || text[i] == '+')) sign = text[i++] == '-' ? "-" : "";
  size_t start = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == start) return std::nullopt;
  return sign + text.substr(start, i - start);
}

// A value as pam's process_limit reads it, in the kernel's units.
std::optional<Rlim> pam_value(const LimitInfo& limit, const std::string& value,
                              std::optional<unsigned long long> nr_open) {
  if (limit.unit == LimitUnit::Nice || limit.unit == LimitUnit::Logins) {
    auto number = leading_number(value, true);
    if (!number) return std::nullopt;
    // Out of range, strtol saturates.
    const long long parsed = parse_integer(*number).value_or(number->front() == '-' ? LLONG_MIN : LLONG_MAX);
    if (limit.unit == LimitUnit::Nice) return parse_pam_text(limit, std::to_string(std::clamp(parsed, -20LL, 19LL)));
    // A negative count is no limit; 0 refuses every login.
    return parsed < 0 ? Rlim::unlimited() : Rlim::of(static_cast<unsigned long long>(parsed));
  }
  Rlim rlim;
  if (value == "-1" || value == "-" || value == "unlimited" || value == "infinity") {
    rlim = Rlim::unlimited();
  } else {
    auto number = leading_number(value, false);
    if (!number) return std::nullopt;
    auto parsed = parse_pam_text(limit, *number);
    // Past 64 bits strtoull saturates, which is RLIM_INFINITY.
    rlim = parsed ? *parsed : Rlim::unlimited();
  }
  // pam puts the kernel's ceiling in place of an unlimited nofile.
  if (limit.name == "nofile" && rlim.kind == Rlim::Kind::Unlimited && nr_open) rlim = Rlim::of(*nr_open);
  return rlim;
}

}  // namespace

std::vector<PamEntry> parse_limits_conf(const std::string& text, const std::string& path) {
  std::vector<PamEntry> entries;
  int number = 0;
  for (const auto& raw : split_lines(text)) {
    ++number;
    std::string line = raw.substr(0, raw.find('#'));
    auto fields = split_whitespace(line);
    if (fields.empty()) continue;
    PamEntry entry;
    entry.file = path;
    entry.line = number;
    entry.domain = fields[0];
    if (fields.size() >= 4) {
      entry.type = lowercase(fields[1]);
      entry.item = lowercase(fields[2]);
      entry.value = lowercase(join(std::vector<std::string>(fields.begin() + 3, fields.end()), " "));
      entries.push_back(std::move(entry));
    } else if (fields.size() == 2 && fields[1][0] == '-') {
      entry.type = lowercase(fields[1]);
      entry.no_limits = true;
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

Result<ConfigSet> pam_limits_files(const System& system) {
  ConfigSet files;
  auto main = read_if_present(system, kLimitsConf);
  if (!main) return main.error();
  if (*main) files.main = ConfigFile{kLimitsConf, std::move(**main)};
  TUNE_ASSIGN_OR_RETURN(files.drop_ins, read_drop_ins(system, {kLimitsDir}));
  return files;
}

std::vector<PamEntry> pam_entries(const std::vector<ConfigFile>& files) {
  std::vector<PamEntry> entries;
  for (const auto& file : files) {
    auto more = parse_limits_conf(file.text, file.path);
    entries.insert(entries.end(), more.begin(), more.end());
  }
  return entries;
}

LoginLimit login_limit(const std::vector<PamEntry>& entries, const LoginSubject& subject, const LimitInfo& limit,
                       const RlimPair& inherited, std::optional<unsigned long long> nr_open) {
  struct Part {
    Rlim value;
    int rank = kUnset;
    std::string from;
  };
  Part soft;
  Part hard;
  LoginLimit result;
  const bool logins = limit.unit == LimitUnit::Logins;
  const RlimPair before = logins ? RlimPair{Rlim::unlimited(), Rlim::unlimited()} : inherited;
  for (const auto& entry : entries) {
    auto rank = rank_of(entry, subject);
    if (!rank) continue;
    if (entry.no_limits) {
      // pam stops reading and sets nothing: the session keeps what it inherited.
      result.value = before;
      result.stopped_by = entry.where();
      return result;
    }
    if (entry.item != limit.name) continue;
    auto value = pam_value(limit, entry.value, nr_open);
    if (!value) continue;
    if (logins) {
      // One count, whatever the type says.
      if (soft.rank < *rank) continue;
      soft = hard = Part{*value, *rank, entry.where()};
      continue;
    }
    const bool sets_soft = entry.type == "soft" || entry.type == "-";
    const bool sets_hard = entry.type == "hard" || entry.type == "-";
    // pam gives up on the whole line once the soft part is outranked.
    if (sets_soft) {
      if (soft.rank < *rank) continue;
      soft = Part{*value, *rank, entry.where()};
    }
    if (sets_hard) {
      if (hard.rank < *rank) continue;
      hard = Part{*value, *rank, entry.where()};
    }
  }
  if (logins && subject.root) {
    // pam never counts root's logins.
    result.value = before;
    return result;
  }
  result.value = {soft.rank == kUnset ? before.soft : soft.value, hard.rank == kUnset ? before.hard : hard.value};
  result.soft_from = soft.from;
  result.hard_from = hard.from;
  if ((soft.rank != kUnset || hard.rank != kUnset) && looser(result.value.soft, result.value.hard).value_or(false)) {
    result.value.soft = result.value.hard;
    result.soft_clamped = true;
  }
  return result;
}

}  // namespace tune::linux_platform
