// Recommendation: profiles declare `match` rules over host facts; the
// highest-scoring matching rule wins. Ties go to the profile whose name sorts
// first, so the choice never depends on file order.
#pragma once

#include "core/facts.h"
#include "core/profile.h"

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

struct Candidate {
  std::string profile;
  bool matched = false;
  int score = 0;                             // of the best matching rule
  Origin rule;                               // where that rule is
  std::vector<ConditionVerdict> verdicts;    // of that rule, or of the nearest miss
};

struct Recommendation {
  std::string chosen;  // the fallback when nothing matched
  bool fell_back = false;
  std::vector<Candidate> ranked;  // matched first, by score
};

bool condition_holds(const Condition& condition, const FactMap& facts, std::string* actual = nullptr);

Recommendation recommend(const std::vector<Profile>& profiles, const FactMap& facts,
                         const std::string& fallback = "balanced");

}  // namespace tune
