// tune recommend: which profile fits this host, and why.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/planning.h"
#include "core/recommend.h"

#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

nlohmann::json verdicts_json(const std::vector<ConditionVerdict>& verdicts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : verdicts) out.push_back({{"fact", v.fact}, {"wanted", v.wanted}, {"actual", v.actual}, {"held", v.held}});
  return out;
}

nlohmann::json recommendation_json(const Recommendation& recommendation, const HostFacts& facts) {
  nlohmann::json ranked = nlohmann::json::array();
  for (const auto& candidate : recommendation.ranked) {
    ranked.push_back({{"profile", candidate.profile},
                      {"matched", candidate.matched},
                      {"score", candidate.score},
                      {"rule", candidate.rule.str()},
                      {"rule_score", candidate.rule_score},
                      {"failures", candidate.failures},
                      {"conditions", verdicts_json(candidate.verdicts)}});
  }
  nlohmann::json outranked = nlohmann::json::array();
  for (const auto& item : outranked_rules(recommendation)) {
    outranked.push_back({{"profile", item.profile},
                         {"rule", item.rule->origin.str()},
                         {"score", item.rule->score},
                         {"conditions", verdicts_json(item.rule->verdicts)}});
  }
  const std::string runner_up = recommendation.runner_up_name();
  Outranked miss = nearest_miss_below(recommendation);
  nlohmann::json evidence = nlohmann::json::object();
  for (const auto& [fact, why] : facts.evidence) evidence[fact] = why;
  return {{"chosen", recommendation.chosen},
          {"fell_back", recommendation.fell_back},
          {"runner_up", runner_up.empty() ? nlohmann::json(nullptr) : nlohmann::json(runner_up)},
          {"nearest_miss", miss.rule ? nlohmann::json{{"profile", miss.profile},
                                                      {"rule", miss.rule->origin.str()},
                                                      {"score", miss.rule->score},
                                                      {"conditions", verdicts_json(miss.rule->verdicts)}}
                                     : nlohmann::json(nullptr)},
          {"ranked", ranked},
          {"outranked", outranked},
          {"evidence", evidence},
          {"facts_source", facts.source}};
}

int run_recommend(Context& context, bool explain) {
  auto facts = gather_facts(context);
  if (!facts) return context.fail(facts.error());
  auto listing = context.profiles().list();
  if (!listing.errors.empty()) return context.fail(listing.errors.front());
  Recommendation recommendation = recommend(listing.profiles, flatten_facts(*facts));
  if (context.options.json) {
    context.out(recommendation_json(recommendation, *facts).dump(2) + "\n");
    return exit_code::kOk;
  }
  context.out(recommendation.chosen + "\n");
  if (explain) context.out(explain_recommendation(recommendation, listing.profiles, facts->evidence));
  return exit_code::kOk;
}

}  // namespace

void add_recommend_command(CLI::App& app, Context& context) {
  auto explain = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("recommend", "Name the profile that fits this host");
  command->add_flag("--explain", *explain, "Show the facts that decided it, the rules above it, and the runner-up");
  command->callback([&context, explain] { context.exit_code = run_recommend(context, *explain); });
}

}  // namespace tune::cli
