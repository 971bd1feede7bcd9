// tune recommend: which profile fits this host, and why.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/recommend.h"
#include "detect/probe.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

int run_recommend(Context& context, bool explain) {
  HostFacts facts = detect_host(context.system());
  auto listing = context.profiles().list();
  if (!listing.errors.empty()) return context.fail(listing.errors.front());
  Recommendation recommendation = recommend(listing.profiles, flatten_facts(facts));
  if (context.options.json) {
    nlohmann::json ranked = nlohmann::json::array();
    for (const auto& candidate : recommendation.ranked) {
      nlohmann::json verdicts = nlohmann::json::array();
      for (const auto& v : candidate.verdicts) {
        verdicts.push_back({{"fact", v.fact}, {"wanted", v.wanted}, {"actual", v.actual}, {"held", v.held}});
      }
      ranked.push_back({{"profile", candidate.profile},
                        {"matched", candidate.matched},
                        {"score", candidate.score},
                        {"rule", candidate.rule.str()},
                        {"conditions", verdicts}});
    }
    context.out(nlohmann::json{{"chosen", recommendation.chosen}, {"fell_back", recommendation.fell_back}, {"ranked", ranked}}
                    .dump(2) + "\n");
    return exit_code::kOk;
  }
  context.out(recommendation.chosen + "\n");
  if (!explain) return exit_code::kOk;
  if (recommendation.fell_back) context.out("No profile's match rules fit this host; using the default.\n");
  for (size_t i = 0; i < recommendation.ranked.size() && i < 2; ++i) {
    const Candidate& candidate = recommendation.ranked[i];
    context.out(fmt::format("{} {} ({}, score {}, rule at {}):\n", i == 0 ? "Best:" : "Runner-up:", candidate.profile,
                            candidate.matched ? "matched" : "did not match", candidate.score, candidate.rule.str()));
    for (const auto& v : candidate.verdicts) {
      context.out(fmt::format("  {} {} is {} (wanted {})\n", v.held ? "+" : "-", v.fact, v.actual, v.wanted));
    }
  }
  return exit_code::kOk;
}

}  // namespace

void add_recommend_command(CLI::App& app, Context& context) {
  auto explain = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("recommend", "Name the profile that fits this host");
  command->add_flag("--explain", *explain, "Show the facts that decided it, and the runner-up");
  command->callback([&context, explain] { context.exit_code = run_recommend(context, *explain); });
}

}  // namespace tune::cli
