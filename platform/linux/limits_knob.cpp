#include "platform/linux/limits_knob.h"

#include "platform/linux/limits_target.h"
#include "platform/linux/limits_view.h"

namespace tune::linux_platform {

Result<Observation> LimitsKnob::observe(const System& system, const std::string& target) const {
  auto parsed = parse_limits_target(target);
  if (!parsed) return parsed.error();
  Observation observation;
  if (parsed->view == LimitsTarget::View::Login && parsed->item[0] == '%') {
    observation.supported = false;
    observation.writable = false;
    observation.note = "'%' items count the logins of a whole group, which tune does not model";
    return observation;
  }
  auto host = read_limits_host(system);
  if (!host) return host.error();
  const LimitsView view(*host);
  RlimPair value;
  if (parsed->view == LimitsTarget::View::Manager) {
    value = view.manager(*parsed->limit).value;
  } else {
    auto subject = login_subject(system, parsed->item);
    if (!subject) return subject.error();
    value = view.login(*subject, *parsed->limit).value;
  }
  observation.value = pair_text(*parsed->limit, value);
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

// Nothing to do: the file steps of the same transaction change what observe reads.
Status LimitsKnob::apply(System& system, const Change& change) const {
  (void)system;
  auto parsed = parse_limits_target(change.target);
  if (!parsed) return parsed.error();
  return {};
}

Status LimitsKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  (void)system;
  (void)prior;
  auto parsed = parse_limits_target(target);
  if (!parsed) return parsed.error();
  return {};
}

bool LimitsKnob::same_at(const std::string& target, const std::optional<std::string>& live,
                         const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  auto parsed = parse_limits_target(target);
  if (!parsed) return *live == *wanted;
  auto a = parse_pair_text(*parsed->limit, *live);
  auto b = parse_pair_text(*parsed->limit, *wanted);
  if (!a || !b) return *live == *wanted;
  return *a == *b;
}

}  // namespace tune::linux_platform
