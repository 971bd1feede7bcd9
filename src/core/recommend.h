// Recommendation: profiles declare `match` rules over host facts; the
// highest-scoring rule whose every condition holds wins. Ties go to the
// profile whose name sorts first, so the choice never depends on file order.
// docs/RECOMMEND.md documents the priority and the score bands.
#pragma once

#include "core/facts.h"
#include "core/profile.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune {

// How one condition fared against the facts, for the explanation.
struct ConditionVerdict {
  std::string fact;
  std::string wanted;  // "alternatives" joined with " or "
  std::string actual;  // "unknown" when the fact could not be read
  bool held = false;
};

// One rule of a profile, evaluated.
struct RuleVerdict {
  Origin origin;
  int score = 0;  // what the rule scores if it holds
  bool matched = false;
  std::vector<ConditionVerdict> verdicts;
  size_t failures() const;
  size_t held() const { return verdicts.size() - failures(); }
};

struct Candidate {
  std::string profile;
  bool matched = false;
  int score = 0;                           // of the best matching rule; 0 when none matched
  Origin rule;                             // the best matching rule, or the nearest miss
  std::vector<ConditionVerdict> verdicts;  // of that rule
  int rule_score = 0;                      // what that rule scores (also for a miss)
  size_t failures = 0;                     // conditions of that rule that failed
  std::vector<RuleVerdict> rules;          // every rule of the profile, in file order
};

struct Recommendation {
  std::string chosen;  // the fallback when nothing matched
  bool fell_back = false;
  std::string fallback;
  // Matched first (by score, then name); then misses, nearest first (fewest
  // failed conditions, then most held, then higher rule score, then name).
  std::vector<Candidate> ranked;

  // The matched winner, or nullptr when the fallback was chosen.
  const Candidate* best() const;
  // What would have been chosen without the winner: the next matched
  // profile, or nullptr when that is the fallback. After a fallback: the
  // nearest miss.
  const Candidate* runner_up() const;
  std::string runner_up_name() const;
};

// `actual` is the fact as people read it: a long or multi-line fact
// (cpuinfo) is cut to its start, with its size.
bool condition_holds(const Condition& condition, const FactMap& facts, std::string* actual = nullptr);

// A regular-expression alternative: "~REGEX" holds when an ECMAScript search
// (std::regex, '^' and '$' at every line, as TuneD's re.MULTILINE) finds
// REGEX in the fact; "!~REGEX" when it does not.
struct RegexAlternative {
  std::string pattern;
  bool negated = false;
};
std::optional<RegexAlternative> regex_alternative(const std::string& alternative);
// Why std::regex refuses a pattern, or nothing.
std::optional<std::string> regex_error_of(const std::string& pattern);
// An alternative as people read it: "matches /avx512/", ">=64", "kvm".
std::string describe_alternative(const std::string& alternative);

Recommendation recommend(const std::vector<Profile>& profiles, const FactMap& facts,
                         const std::string& fallback = "balanced");

// Rules of other profiles that scored above the winner but did not hold:
// the facts that kept them out are part of why the winner won.
struct Outranked {
  std::string profile;
  const RuleVerdict* rule = nullptr;
};
std::vector<Outranked> outranked_rules(const Recommendation& recommendation);
// The rule scoring below the winner (any rule, after a fallback) that came
// closest to holding; rule is nullptr when there is none.
Outranked nearest_miss_below(const Recommendation& recommendation);

// People's explanation (`tune recommend --explain`): the chosen profile and
// its summary, the facts of its rule with their evidence, the rules above it
// that failed and on what, and the runner-up.
std::string explain_recommendation(const Recommendation& recommendation, const std::vector<Profile>& profiles,
                                   const std::map<std::string, std::string>& evidence);

// One line, for `tune plan` with `--profile auto`.
std::string summarize_recommendation(const Recommendation& recommendation);

}  // namespace tune
