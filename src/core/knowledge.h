// Knowledge: what tune knows about every setting it understands, loaded from
// data (data/knowledge/*.yaml, compiled in and installed to share/tune/):
// what a setting does, its unit and valid range, which kernels and OSes have
// it, and what to say about advice that is obsolete, wrong or risky.
#pragma once

#include "util/result.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune {

// How a piece of advice fares. The order is the report's order of concern.
// NoEffect: the setting is real but changes nothing here (already the
// default, or another setting makes it moot). Wrong: the advice does not do
// what it means to (a redirect the shell refuses, a drop-in no process
// reads). NotJudged: tune cannot say (a key it does not know, an
// application's own configuration, a script the text does not show).
enum class Verdict { Valid, Mapped, NoEffect, Risky, Wrong, OutOfRange, Obsolete, Nonexistent, NotJudged };

const char* verdict_name(Verdict verdict);  // "valid", "mapped", "risky", "out-of-range"...
std::optional<Verdict> verdict_from_name(const std::string& name);

enum class ValueType {
  Integer,   // one whole number, possibly larger than 64 bits (kernel.shmall)
  Integers,  // several whole numbers separated by blanks ("4096 87380 16777216")
  Enum,      // one of `values` (or, with a range, a whole number in it)
  Bool,      // true/false (also yes/no, on/off, 1/0)
  Size,      // bytes with an optional K/M/G/T suffix ("8G")
  SizeOrPercent,  // a size or a percentage of RAM ("50%")
  Limit,     // a whole number or "unlimited"/"infinity" (rlimits)
  CpuList,   // "0-7,16-23"
  HexMask,   // "ff,ffffffff"
  Duration,  // "300", "5m", "24h", "-1"
  Word,      // one token without blanks
  Text,      // any single line
  Path,      // an absolute path
};

const char* value_type_name(ValueType type);

// Advice about particular values of a setting: `noop` for a scheduler,
// 0 for swappiness, a file-max below what systemd already sets.
struct ValueAdvice {
  std::vector<std::string> equals;  // any of these values
  std::optional<std::string> below;  // a whole number under this
  std::optional<std::string> above;  // a whole number over this
  Verdict verdict = Verdict::Valid;
  std::string say;  // why, in one or two sentences
  std::string use;  // the value to use instead, for Mapped advice
};

struct KnowledgeEntry {
  std::string domain;  // sysctl, cpu, block, memory, swap, limits, services, environment, boot, power, sysfs, ...
  std::string key;     // "vm.swappiness"; may hold '*' ("net.ipv4.conf.*.rp_filter", "OLLAMA_*")
  std::string what;    // what it does
  ValueType type = ValueType::Text;
  int fields = 1;                    // Integers: how many
  std::optional<std::string> min;    // whole numbers, as text
  std::optional<std::string> max;
  std::vector<std::string> values;   // Enum alternatives
  std::string unit;
  std::string default_value;         // the usual default, for messages
  std::vector<std::string> os;       // linux, macos, windows; empty: Linux for kernel domains, else any
  std::string since;                 // first kernel (or OS) version with it
  std::string removed;               // version that dropped it
  Verdict status = Verdict::Valid;   // the key itself: Valid, Obsolete, Nonexistent, Risky, Mapped
  std::string say;                   // why, for a key whose status is not Valid, or a caution
  std::string replacement;           // the modern form: "block:scheduler", "swap:zram.size", a debugfs path
  bool raise_only = false;           // a limit: lowering it below the live value is risky
  bool needs_reboot = false;         // takes effect at boot only
  // A /sys file tune refuses to write at all (power/state, bind, rescan...):
  // `say` gives the reason a profile's raw sysfs entry is refused with.
  bool never_write = false;
  std::vector<std::string> paths;    // /proc or /sys files carrying it (globs: '*' within one component)
  std::vector<ValueAdvice> advice;
  std::string source;                // "sysctl.yaml:120", for maintainers

  bool numeric() const;  // Integer, Integers, Limit, or Enum with a range
};

// The result of checking one value against an entry.
struct ValueJudgement {
  Verdict verdict = Verdict::Valid;
  std::string message;  // empty when valid and nothing to say
  std::string use;      // a replacement value, when Mapped
};

class Knowledge {
 public:
  // The knowledge compiled into tune, loaded on first use. The YAML files
  // are checked and packed into JSON when tune is built (tools/
  // knowledge_pack), because parsing them with yaml-cpp at every start cost
  // more than the rest of `tune plan` together. Errors in the shipped data
  // are a build defect; tests assert it loads.
  static const Knowledge& builtin();

  // Parse knowledge files: name (for messages) -> YAML text.
  static Result<Knowledge> parse(const std::vector<std::pair<std::string, std::string>>& files);

  // The parsed knowledge as JSON, and back: what the build packs and
  // builtin() reads.
  std::string pack() const;
  static Result<Knowledge> unpack(const std::string& json);

  // The most specific entry for domain and key: an exact key beats a pattern,
  // a pattern with more literal characters beats one with fewer.
  const KnowledgeEntry* find(const std::string& domain, const std::string& key) const;
  // The entry whose `paths` match a /proc or /sys path; captures receive
  // what each '*' matched (a device name, a hugepage size).
  const KnowledgeEntry* find_by_path(const std::string& path, std::vector<std::string>* captures = nullptr) const;
  // Literal keys of a domain, for "did you mean" hints.
  std::vector<std::string> keys(const std::string& domain) const;
  const std::vector<KnowledgeEntry>& entries() const { return entries_; }

  // Facts `when` and `match` may name: exact names and prefixes ending in '.'
  // ("cpu.flag.").
  bool known_fact(const std::string& name) const;
  std::vector<std::string> fact_names() const;

  // Whether a value has the entry's type and lies in its range: the error
  // text (lowercase, no position) or nothing.
  static std::optional<std::string> check_value(const KnowledgeEntry& entry, const std::string& value);
  // Type and range, then value advice: the verdict tune gives this value.
  // As a lower bound (at_least) a value never lowers anything, so advice
  // about values below a threshold does not apply (`as_lower_bound`).
  static ValueJudgement judge_value(const KnowledgeEntry& entry, const std::string& value, bool as_lower_bound = false);

 private:
  // Index the entries, refuse duplicates, split fact names from prefixes.
  static Result<Knowledge> assemble(std::vector<KnowledgeEntry> entries, std::vector<std::string> facts);

  std::vector<KnowledgeEntry> entries_;
  std::map<std::string, std::vector<size_t>> by_domain_;
  std::vector<std::string> facts_;
  std::vector<std::string> fact_prefixes_;
};

// '*' matches any run of characters other than `separator` (for sysctl keys
// '.', for paths '/'; '\0' lets it match anything); "**" matches any run,
// separators included ("/sys/firmware/**", "/sys/**/bind").
bool glob_match(const std::string& pattern, const std::string& text, char separator,
                std::vector<std::string>* captures = nullptr);

// Whole numbers of any length compared exactly: <0, 0, >0; nullopt when
// either is not a whole number.
std::optional<int> compare_whole_numbers(const std::string& a, const std::string& b);
bool is_whole_number(const std::string& text);

// "8G" -> 8589934592; nullopt when not a size.
std::optional<unsigned long long> parse_size(const std::string& text);

}  // namespace tune
