#include "core/recommend.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// One alternative: ">=64", ">2", "<=8", "<1", "!=kvm", or a plain value.
bool alternative_holds(const std::string& alternative, const std::string& actual) {
  static const char* const kOperators[] = {">=", "<=", "!=", ">", "<"};
  for (const char* op : kOperators) {
    std::string symbol = op;
    if (!starts_with(alternative, symbol)) continue;
    std::string operand = trim(alternative.substr(symbol.size()));
    if (symbol == "!=") return lower(actual) != lower(operand);
    auto have = parse_number(actual);
    auto bound = parse_number(operand);
    if (!have || !bound) return false;
    if (symbol == ">=") return *have >= *bound;
    if (symbol == "<=") return *have <= *bound;
    if (symbol == ">") return *have > *bound;
    return *have < *bound;
  }
  // Plain values: numbers compare as numbers ("2" == "2.0"), words without case.
  auto have = parse_number(actual);
  auto want = parse_number(alternative);
  if (have && want) return *have == *want;
  return lower(trim(alternative)) == lower(actual);
}

}  // namespace

bool condition_holds(const Condition& condition, const FactMap& facts, std::string* actual) {
  auto it = facts.find(condition.fact);
  // A fact that is never set for a flag ("cpu.flag.avx512f") reads as false.
  std::string value;
  if (it != facts.end()) value = it->second;
  else if (starts_with(condition.fact, "cpu.flag.") || starts_with(condition.fact, "gpu.")) value = "false";
  if (actual) *actual = value.empty() ? "unknown" : value;
  if (value.empty()) return false;
  return std::any_of(condition.alternatives.begin(), condition.alternatives.end(),
                     [&](const std::string& alternative) { return alternative_holds(alternative, value); });
}

Recommendation recommend(const std::vector<Profile>& profiles, const FactMap& facts, const std::string& fallback) {
  Recommendation recommendation;
  for (const auto& profile : profiles) {
    if (profile.match.empty()) continue;
    Candidate candidate;
    candidate.profile = profile.name;
    size_t fewest_failures = SIZE_MAX;
    for (const auto& rule : profile.match) {
      std::vector<ConditionVerdict> verdicts;
      size_t failures = 0;
      for (const auto& condition : rule.when) {
        ConditionVerdict verdict{condition.fact, join(condition.alternatives, " or "), "", false};
        verdict.held = condition_holds(condition, facts, &verdict.actual);
        failures += !verdict.held;
        verdicts.push_back(std::move(verdict));
      }
      bool matched = failures == 0;
      bool better = matched ? (!candidate.matched || rule.score > candidate.score)
                            : (!candidate.matched && failures < fewest_failures);
      if (better) {
        candidate.matched = matched;
        candidate.score = matched ? rule.score : 0;
        candidate.rule = rule.origin;
        candidate.verdicts = std::move(verdicts);
        fewest_failures = failures;
      }
    }
    recommendation.ranked.push_back(std::move(candidate));
  }
  std::sort(recommendation.ranked.begin(), recommendation.ranked.end(), [](const Candidate& a, const Candidate& b) {
    if (a.matched != b.matched) return a.matched;
    if (a.score != b.score) return a.score > b.score;
    return a.profile < b.profile;
  });
  if (!recommendation.ranked.empty() && recommendation.ranked.front().matched) {
    recommendation.chosen = recommendation.ranked.front().profile;
  } else {
    recommendation.chosen = fallback;
    recommendation.fell_back = true;
  }
  return recommendation;
}

}  // namespace tune
