#include "cli/planning.h"

#include "core/policy.h"
#include "core/profile_host.h"
#include "core/recommend.h"
#include "detect/probe.h"
#include "platform/platforms.h"
#include "util/text.h"

#include <spdlog/spdlog.h>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {

Result<HostFacts> gather_facts(Context& context) {
  const GlobalOptions& options = context.options;
  HostFacts facts;
  if (!options.facts_file.empty()) {
    auto text = read_input_file(options.facts_file);
    if (!text) return text.error();
    TUNE_ASSIGN_OR_RETURN(facts, facts_from_json_text(*text, options.facts_file));
    facts.source = "facts " + options.facts_file;
  } else {
    DetectOptions detect;
    detect.hwloc_fsroot = options.root;
    detect.topology_xml = options.topology_xml;
    detect.synthetic = options.synthetic;
    detect.read_host_files = !options.root.empty() || (options.topology_xml.empty() && options.synthetic.empty());
    TUNE_ASSIGN_OR_RETURN(facts, detect_host(context.system(), detect));
    std::vector<std::string> sources;
    if (!options.root.empty()) sources.push_back("root " + options.root);
    else if (detect.read_host_files) sources.push_back("host");
    if (!options.topology_xml.empty()) sources.push_back("topology " + options.topology_xml);
    if (!options.synthetic.empty()) sources.push_back("synthetic '" + options.synthetic + "'");
    facts.source = join(sources, ", ");
    for (const auto& warning : facts.warnings) spdlog::warn("{}", warning);
  }
  return facts;
}

Result<std::string> choose_automatic(Context& context, const HostFacts& facts, std::string* why) {
  auto listing = context.profiles().list();
  if (!listing.errors.empty()) return listing.errors.front();
  Recommendation recommendation = recommend(listing.profiles, flatten_facts(facts));
  if (why) *why = summarize_recommendation(recommendation);
  return recommendation.chosen;
}

Result<PlannedProfile> plan_profile(Context& context, const std::string& requested) {
  PlannedProfile planned;
  TUNE_ASSIGN_OR_RETURN(planned.facts, gather_facts(context));
  // The host policy (/etc/tune/tune.toml) names the default profile and the
  // domains tune must leave alone on this host.
  auto policy = context.policy();
  if (!policy) return policy.error();
  std::string name = requested.empty() ? policy->profile : requested;
  if (name.empty() || name == "auto") {
    auto chosen = choose_automatic(context, planned.facts, &planned.why);
    if (!chosen) return chosen.error();
    name = *chosen;
  }
  auto profile = context.profiles().resolve(name);
  if (!profile) return profile.error();
  planned.profile = std::move(*profile);
  const std::vector<std::string> templates = context.template_dirs();
  auto plan = make_plan({planned.profile, planned.facts, context.system(), &policy->leave_alone, &templates,
                         policy->restart_services},
                        platform_for(os_family(flatten_facts(planned.facts))), TUNE_VERSION);
  if (!plan) return plan.error();
  planned.plan = std::move(*plan);
  return planned;
}

}  // namespace tune::cli
