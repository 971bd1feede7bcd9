// NotedKnob: a knob whose setting only a program reads and changes (sysctl,
// pmset, launchctl, mdutil), made to read back in a dry run. A dry run runs
// no program that changes the host, so after a change the value is noted on
// the door (System::note_setting) and read from the note from then on, as a
// dry run's files read back what was written. Real doors keep no notes, so on
// a Mac every read is the program's.
#pragma once

#include "core/knob.h"

#include <memory>

namespace tune::macos_platform {

class NotedKnob final : public Knob {
 public:
  explicit NotedKnob(std::unique_ptr<Knob> inner) : inner_(std::move(inner)) {}

  std::string domain() const override { return inner_->domain(); }
  Result<Observation> observe(const System& system, const std::string& target) const override {
    if (const std::optional<std::string>* noted = system.noted_setting(id(target))) {
      Observation observation;
      observation.value = *noted;
      observation.prior = *noted ? PriorState::of_value(**noted) : PriorState::absent();
      return observation;
    }
    return inner_->observe(system, target);
  }
  Status apply(System& system, const Change& change) const override {
    TUNE_RETURN_IF_ERROR(inner_->apply(system, change));
    system.note_setting(id(change.target), change.after);
    return {};
  }
  Status restore(System& system, const std::string& target, const PriorState& prior) const override {
    TUNE_RETURN_IF_ERROR(inner_->restore(system, target, prior));
    system.note_setting(id(target), prior.as_state());
    return {};
  }
  bool derived() const override { return inner_->derived(); }
  bool is_call(const std::string& target) const override { return inner_->is_call(target); }
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override {
    return inner_->same(live, wanted);
  }
  bool same_at(const std::string& target, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override {
    return inner_->same_at(target, live, wanted);
  }

 private:
  std::string id(const std::string& target) const { return domain() + " " + target; }
  std::unique_ptr<Knob> inner_;
};

}  // namespace tune::macos_platform
