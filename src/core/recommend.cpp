#include "core/recommend.h"

#include "core/profile_functions.h"

#include "util/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace tune {
namespace {


// One alternative: ">=64", ">2", "<=8", "<1", "!=kvm", "~REGEX", "!~REGEX", or a plain value.
bool alternative_holds(const std::string& alternative, const std::string& actual) {
  if (auto regex = regex_alternative(alternative)) {
    // A pattern the parser would refuse, or a search that cannot be made
    // (a line too long to search): the condition holds neither way.
    auto found = regex_found(regex->pattern, actual, true);
    return found && *found != regex->negated;
  }
  static const char* const kOperators[] = {">=", "<=", "!=", ">", "<"};
  for (const char* op : kOperators) {
    std::string symbol = op;
    if (!starts_with(alternative, symbol)) continue;
    std::string operand = trim(alternative.substr(symbol.size()));
    if (symbol == "!=") {
      auto have = parse_number(actual);
      auto other = parse_number(operand);
      if (have && other) return *have != *other;
      return ascii_lower(actual) != ascii_lower(operand);
    }
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
  return ascii_lower(trim(alternative)) == ascii_lower(actual);
}

// Long facts (cpuinfo, uname) are cut for people: the first line's start and the size.
std::string shown_value(const std::string& value) {
  constexpr size_t kShown = 60;
  const size_t newline = value.find('\n');
  if (newline == std::string::npos && value.size() <= kShown) return value;
  std::string start = value.substr(0, std::min(newline, kShown));
  return "'" + start + "...' (" + std::to_string(value.size()) + " bytes)";
}

// A flag or device fact that is absent reads "false"/"0" only when its
// family was read at all (the flag list, the PCI bus); otherwise it is unknown.
std::string absent_value(const std::string& fact, const FactMap& facts) {
  if (starts_with(fact, "cpu.flag.") && facts.count("cpu.flags")) return "false";
  if (starts_with(fact, "gpu.") && facts.count("gpu.count")) {
    if (ends_with(fact, ".count")) return "0";
    // No GPUs hold no memory; GPUs of unknown memory leave it unknown.
    if (fact == "gpu.memory_gib") return facts.at("gpu.count") == "0" ? "0" : "";
    return "false";
  }
  return "";
}

// Whether miss a came closer to holding than miss b: fewer conditions
// failed, then more held. Scores break ties elsewhere.
bool closer_miss(const RuleVerdict& a, const RuleVerdict& b) {
  if (a.failures() != b.failures()) return a.failures() < b.failures();
  return a.held() > b.held();
}

RuleVerdict evaluate(const MatchRule& rule, const FactMap& facts) {
  RuleVerdict verdict;
  verdict.origin = rule.origin;
  verdict.score = rule.score;
  for (const auto& condition : rule.when) {
    std::vector<std::string> wanted;
    for (const auto& alternative : condition.alternatives) wanted.push_back(describe_alternative(alternative));
    ConditionVerdict one{condition.fact, join(wanted, " or "), "", false};
    one.held = condition_holds(condition, facts, &one.actual);
    verdict.verdicts.push_back(std::move(one));
  }
  verdict.matched = verdict.failures() == 0;
  return verdict;
}

Candidate evaluate(const Profile& profile, const FactMap& facts) {
  Candidate candidate;
  candidate.profile = profile.name;
  for (const auto& rule : profile.match) candidate.rules.push_back(evaluate(rule, facts));
  // The rule that speaks for the profile: the best held one, else the nearest miss.
  const RuleVerdict* chosen = nullptr;
  for (const auto& rule : candidate.rules) {
    if (!chosen) {
      chosen = &rule;
      continue;
    }
    if (rule.matched != chosen->matched) {
      if (rule.matched) chosen = &rule;
      continue;
    }
    if (!rule.matched && closer_miss(rule, *chosen) != closer_miss(*chosen, rule)) {
      if (closer_miss(rule, *chosen)) chosen = &rule;
      continue;
    }
    if (rule.score > chosen->score) chosen = &rule;
  }
  candidate.matched = chosen->matched;
  candidate.score = chosen->matched ? chosen->score : 0;
  candidate.rule = chosen->origin;
  candidate.verdicts = chosen->verdicts;
  candidate.rule_score = chosen->score;
  candidate.failures = chosen->failures();
  return candidate;
}

std::string verdict_line(const ConditionVerdict& verdict, const std::map<std::string, std::string>& evidence) {
  std::string line = fmt::format("{} = {} (wanted {})", verdict.fact, verdict.actual, verdict.wanted);
  if (auto it = evidence.find(verdict.fact); it != evidence.end()) line += ": " + it->second;
  return line;
}

std::string failed_conditions(const RuleVerdict& rule, const std::map<std::string, std::string>& evidence) {
  std::vector<std::string> parts;
  for (const auto& verdict : rule.verdicts) {
    if (!verdict.held) parts.push_back(verdict_line(verdict, evidence));
  }
  return join(parts, "; ");
}

const Profile* find_profile(const std::vector<Profile>& profiles, const std::string& name) {
  for (const auto& profile : profiles) {
    if (profile.name == name) return &profile;
  }
  return nullptr;
}

}  // namespace

size_t RuleVerdict::failures() const {
  return static_cast<size_t>(std::count_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return !v.held; }));
}

const Candidate* Recommendation::best() const {
  return !fell_back && !ranked.empty() && ranked.front().matched ? &ranked.front() : nullptr;
}

const Candidate* Recommendation::runner_up() const {
  if (!best()) return ranked.empty() ? nullptr : &ranked.front();
  return ranked.size() > 1 && ranked[1].matched ? &ranked[1] : nullptr;
}

std::string Recommendation::runner_up_name() const {
  const Candidate* next = runner_up();
  if (next) return next->profile;
  return best() ? fallback : "";
}

bool condition_holds(const Condition& condition, const FactMap& facts, std::string* actual) {
  auto it = facts.find(condition.fact);
  std::string value = it != facts.end() ? it->second : absent_value(condition.fact, facts);
  if (actual) *actual = value.empty() ? "unknown" : shown_value(value);
  if (value.empty()) return false;  // an unknown fact never holds, not even for "!="
  return std::any_of(condition.alternatives.begin(), condition.alternatives.end(),
                     [&](const std::string& alternative) { return alternative_holds(alternative, value); });
}

std::optional<RegexAlternative> regex_alternative(const std::string& alternative) {
  if (starts_with(alternative, "!~")) return RegexAlternative{alternative.substr(2), true};
  if (starts_with(alternative, "~")) return RegexAlternative{alternative.substr(1), false};
  return std::nullopt;
}

std::optional<std::string> regex_error_of(const std::string& pattern) { return regex_pattern_error(pattern); }

std::string describe_alternative(const std::string& alternative) {
  auto regex = regex_alternative(alternative);
  if (!regex) return alternative;
  return std::string(regex->negated ? "does not match /" : "matches /") + regex->pattern + "/";
}

Recommendation recommend(const std::vector<Profile>& profiles, const FactMap& facts, const std::string& fallback) {
  Recommendation recommendation;
  recommendation.fallback = fallback;
  for (const auto& profile : profiles) {
    if (!profile.match.empty()) recommendation.ranked.push_back(evaluate(profile, facts));
  }
  std::sort(recommendation.ranked.begin(), recommendation.ranked.end(), [](const Candidate& a, const Candidate& b) {
    if (a.matched != b.matched) return a.matched;
    if (a.matched && a.score != b.score) return a.score > b.score;
    if (!a.matched && a.failures != b.failures) return a.failures < b.failures;
    if (!a.matched && a.verdicts.size() != b.verdicts.size()) return a.verdicts.size() > b.verdicts.size();
    if (!a.matched && a.rule_score != b.rule_score) return a.rule_score > b.rule_score;
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

std::vector<Outranked> outranked_rules(const Recommendation& recommendation) {
  const Candidate* best = recommendation.best();
  const int bar = best ? best->score : -1;
  std::vector<Outranked> out;
  for (const auto& candidate : recommendation.ranked) {
    for (const auto& rule : candidate.rules) {
      // Held rules above the winner cannot exist; ties lost on the name are the runner-up's story.
      if (!rule.matched && rule.score > bar) out.push_back({candidate.profile, &rule});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Outranked& a, const Outranked& b) {
    if (a.rule->score != b.rule->score) return a.rule->score > b.rule->score;
    return a.profile < b.profile;
  });
  return out;
}

Outranked nearest_miss_below(const Recommendation& recommendation) {
  const Candidate* best = recommendation.best();
  Outranked nearest;
  for (const auto& candidate : recommendation.ranked) {
    if (best && candidate.profile == best->profile) continue;
    for (const auto& rule : candidate.rules) {
      if (rule.matched || (best && rule.score >= best->score)) continue;
      const bool better = !nearest.rule || closer_miss(rule, *nearest.rule) ||
                          (!closer_miss(*nearest.rule, rule) && rule.score > nearest.rule->score);
      if (better) nearest = {candidate.profile, &rule};
    }
  }
  return nearest;
}

std::string explain_recommendation(const Recommendation& recommendation, const std::vector<Profile>& profiles,
                                   const std::map<std::string, std::string>& evidence) {
  std::string out;
  const Candidate* best = recommendation.best();
  const Profile* chosen = find_profile(profiles, recommendation.chosen);
  out += fmt::format("Chosen: {}", recommendation.chosen);
  if (chosen && !chosen->summary.empty()) out += " - " + chosen->summary;
  out += "\n";
  if (best) {
    out += fmt::format("  its rule at {} (score {}) holds:\n", best->rule.str(), best->score);
    for (const auto& verdict : best->verdicts) out += "    " + verdict_line(verdict, evidence) + "\n";
    if (best->verdicts.empty()) out += "    (a rule without conditions: it holds on every host)\n";
  } else {
    out += "  no profile's match rule holds on this host, so the fallback applies\n";
  }

  auto above = outranked_rules(recommendation);
  if (!above.empty()) {
    out += best ? "Rules that rank above it did not hold:\n" : "Rules that did not hold:\n";
    for (const auto& item : above) {
      out += fmt::format("  {} (score {}): {}\n", item.profile, item.rule->score, failed_conditions(*item.rule, evidence));
    }
  }

  if (const Candidate* next = recommendation.runner_up(); next && next->matched) {
    out += fmt::format("Runner-up: {} - its rule at {} also holds, with score {}{}\n", next->profile, next->rule.str(),
                       next->score, best && next->score == best->score ? " (a tie, lost on the name)" : "");
    for (const auto& verdict : next->verdicts) out += "    " + verdict_line(verdict, evidence) + "\n";
  } else if (best) {
    out += fmt::format("Runner-up: {} - the fallback: no other profile's rule holds\n", recommendation.fallback);
  }
  Outranked miss = nearest_miss_below(recommendation);
  if (miss.rule) {
    out += fmt::format("{}: {} - rule at {} (score {}), {} of {} conditions failed\n",
                       best ? "Nearest miss below it" : "Runner-up, the nearest miss", miss.profile, miss.rule->origin.str(), miss.rule->score,
                       miss.rule->failures(), miss.rule->verdicts.size());
    for (const auto& verdict : miss.rule->verdicts) {
      out += fmt::format("    {} {}\n", verdict.held ? "holds:" : "fails:", verdict_line(verdict, evidence));
    }
  }
  out += "Priority: the highest-scoring rule whose every condition holds wins; a tie goes to the name that sorts "
         "first; an unknown fact never holds (docs/RECOMMEND.md).\n";
  return out;
}

std::string summarize_recommendation(const Recommendation& recommendation) {
  const Candidate* best = recommendation.best();
  if (!best) return "no profile's match rules fit this host, so the default '" + recommendation.chosen + "'";
  std::vector<std::string> reasons;
  for (const auto& verdict : best->verdicts) reasons.push_back(verdict.fact + " = " + verdict.actual);
  std::string line = "'" + best->profile + "' matched with score " + std::to_string(best->score);
  if (!reasons.empty()) line += " (" + join(reasons, ", ") + ")";
  line += "; runner-up '" + recommendation.runner_up_name() + "'";
  return line;
}

}  // namespace tune
