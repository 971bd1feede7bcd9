#include "platform/macos/spotlight_knob.h"

#include "core/declare_or_return.h"
#include "platform/macos/mac_programs.h"
#include "util/text.h"

namespace tune::macos_platform {
namespace {

// The volume out of "spotlight:PATH": an absolute path, so nothing in a saved
// plan becomes one of mdutil's options.
Result<std::string> volume_of(const std::string& target) {
  const std::string prefix = "spotlight:";
  if (!starts_with(target, prefix) || target.size() <= prefix.size() + 1 || target[prefix.size()] != '/' ||
      target.find('\n') != std::string::npos) {
    return make_error("macos: '{}' is not spotlight:/VOLUME", target);
  }
  return target.substr(prefix.size());
}

Status switch_indexing(System& system, const std::string& target, const std::string& value) {
  TUNE_DECLARE_OR_RETURN(std::string volume, volume_of(target));
  if (value != "on" && value != "off") return make_error("macos {}: '{}' is not on or off", target, value);
  return run_program(system, {kMdutil, "-i", value, volume});
}

}  // namespace

std::optional<std::string> parse_mdutil_status(const std::string& output) {
  if (output.find("Indexing enabled") != std::string::npos) return std::string("on");
  if (output.find("Indexing disabled") != std::string::npos) return std::string("off");
  return std::nullopt;
}

Result<Observation> SpotlightKnob::observe(const System& system, const std::string& target) const {
  TUNE_DECLARE_OR_RETURN(std::string volume, volume_of(target));
  Observation observation;
  auto output = read_program(system, {kMdutil, "-s", volume});
  std::optional<std::string> status = output ? parse_mdutil_status(*output) : std::nullopt;
  if (!status) {
    observation.supported = false;
    observation.writable = false;
    observation.note = output ? "mdutil -s " + volume + " said neither enabled nor disabled"
                              : "cannot be read (" + output.error().message + ")";
    return observation;
  }
  observation.value = *status;
  observation.prior = PriorState::of_value(*status);
  return observation;
}

Status SpotlightKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("macos {}: indexing cannot be removed", change.target);
  return switch_indexing(system, change.target, *change.after);
}

Status SpotlightKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) return make_error("macos {}: the journal holds no value to restore", target);
  return switch_indexing(system, target, prior.value);
}

}  // namespace tune::macos_platform
