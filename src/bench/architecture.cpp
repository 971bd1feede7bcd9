#include "bench/architecture.h"

#include <array>

namespace tune::bench {
namespace {

constexpr std::array<std::pair<Architecture, ArchitectureTraits>, 5> kArchitectures = {{
    {Architecture::kLlama, {"llama", RopeStyle::kAdjacentPairs, false, false, false}},
    {Architecture::kQwen2, {"qwen2", RopeStyle::kHalves, true, false, false}},
    {Architecture::kQwen3, {"qwen3", RopeStyle::kHalves, false, true, false}},
    {Architecture::kGemma2, {"gemma2", RopeStyle::kHalves, false, false, true}},
    {Architecture::kGemma3, {"gemma3", RopeStyle::kHalves, false, true, true}},
}};

}  // namespace

const ArchitectureTraits& traits(Architecture architecture) {
  for (const auto& [which, found] : kArchitectures) {
    if (which == architecture) return found;
  }
  return kArchitectures.front().second;  // unreachable: every enumerator is listed
}

std::string_view architecture_name(Architecture architecture) { return traits(architecture).name; }

std::optional<Architecture> parse_architecture(std::string_view name) {
  for (const auto& [which, found] : kArchitectures) {
    if (found.name == name) return which;
  }
  return std::nullopt;
}

std::string supported_architecture_names() {
  std::string names;
  for (const auto& [which, found] : kArchitectures) {
    if (!names.empty()) names += ", ";
    names += found.name;
  }
  return names;
}

}  // namespace tune::bench
