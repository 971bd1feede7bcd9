#include "platform/linux/irq_knob.h"

#include "platform/linux/cpu_sets.h"
#include "platform/linux/irq_files.h"
#include "platform/linux/member_values.h"
#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <cstring>
#include <map>

namespace tune::linux_platform {
namespace {

Status check_target(const std::string& target) {
  if (target == kIrqDefaultAffinity || target == kIrqAffinity) return {};
  return make_error("irq: '{}' is not an irq setting", target);
}

// Every member in member form, even when all agree: a rollback then puts
// back exactly the IRQs that were there, not whatever IRQs exist by then.
std::string each_member(const MemberValues& values) {
  std::string text;
  for (const auto& [member, value] : values) text += (text.empty() ? "" : " ") + member + "=" + value;
  return text;
}

// irq -> CPU list from either form; a single value stands for every IRQ in `irqs`.
std::optional<std::map<std::string, std::string>> wanted_by_irq(const std::string& text,
                                                                 const std::vector<std::string>& irqs) {
  std::map<std::string, std::string> wanted;
  if (text.find('=') == std::string::npos) {
    if (!parse_cpulist(text)) return std::nullopt;
    for (const auto& irq : irqs) wanted[irq] = trim(text);
    return wanted;
  }
  for (const auto& word : split_whitespace(text)) {
    auto equals = word.find('=');
    if (equals == std::string::npos || equals == 0 || !parse_cpulist(word.substr(equals + 1))) return std::nullopt;
    wanted[word.substr(0, equals)] = word.substr(equals + 1);
  }
  return wanted;
}

Status write_default_affinity(System& system, const std::string& cpulist) {
  auto cpus = parse_cpulist(cpulist);
  if (!cpus || cpus->empty()) return make_error("irq default_affinity: '{}' is not a CPU list", cpulist);
  return system.write_attribute(kDefaultAffinityFile, format_cpu_mask(*cpus) + "\n");
}

// Move each IRQ tune may move to its CPUs in `text`; IRQs the text does not
// name (set up since) and IRQs gone since are left alone.
Status write_affinities(System& system, const std::string& text) {
  auto irqs = list_irqs(system);
  if (!irqs) return irqs.error();
  auto wanted = wanted_by_irq(text, irqs->movable);
  if (!wanted) return make_error("irq affinity: '{}' is not a CPU list or IRQ=CPUs words", text);
  auto live = read_irq_affinities(system, irqs->movable);
  if (!live) return live.error();
  for (const auto& [irq, value] : *live) {
    auto it = wanted->find(irq);
    if (it == wanted->end() || same_cpulist(value, it->second)) continue;
    auto written = system.write_attribute(irq_affinity_path(irq), it->second + "\n");
    if (!written) {
      // kernel/irq/proc.c answers EIO for an IRQ whose affinity user space may not set.
      if (ends_with(written.error().message, std::strerror(EIO))) {
        return make_error("irq {}: the kernel keeps its affinity (EIO: a per-CPU or managed interrupt); plan again",
                          irq);
      }
      return written;
    }
  }
  return {};
}

}  // namespace

bool same_irq_affinities(const std::string& a, const std::string& b) {
  const bool a_each = a.find('=') != std::string::npos;
  const bool b_each = b.find('=') != std::string::npos;
  if (!a_each && !b_each) return same_cpulist(a, b);
  if (a_each && b_each) {
    auto left = wanted_by_irq(a, {});
    auto right = wanted_by_irq(b, {});
    if (!left || !right) return a == b;
    for (const auto& [irq, cpus] : *left) {
      auto it = right->find(irq);
      if (it != right->end() && !same_cpulist(cpus, it->second)) return false;
    }
    return true;
  }
  // One value for all: every IRQ the other names must have it.
  auto listed = wanted_by_irq(a_each ? a : b, {});
  if (!listed) return false;
  const std::string single = a_each ? b : a;
  for (const auto& [irq, cpus] : *listed) {
    if (!same_cpulist(cpus, single)) return false;
  }
  return true;
}

Result<Observation> IrqKnob::observe(const System& system, const std::string& target) const {
  TUNE_RETURN_IF_ERROR(check_target(target));
  Observation observation;
  if (target == kIrqDefaultAffinity) {
    auto attribute = read_attribute(system, kDefaultAffinityFile);
    if (!attribute) return attribute.error();
    if (!attribute->exists) {
      observation.supported = observation.writable = false;
      observation.note = std::string("not available here: no ") + kDefaultAffinityFile;
      return observation;
    }
    auto cpus = parse_cpu_mask(attribute->text);
    if (!cpus) return make_error("{}: not a CPU mask", kDefaultAffinityFile);
    observation.writable = attribute->writable;
    if (!observation.writable) observation.note = std::string(kDefaultAffinityFile) + " is read-only here";
    observation.value = format_cpulist(*cpus);
    observation.prior = PriorState::of_value(*observation.value);
    return observation;
  }
  auto irqs = list_irqs(system);
  if (!irqs) return irqs.error();
  if (irqs->movable.empty()) {
    observation.supported = observation.writable = false;
    observation.note = "not available here: no IRQ whose affinity may be changed";
    return observation;
  }
  auto values = read_irq_affinities(system, irqs->movable);
  if (!values) return values.error();
  observation.value = encode_members(*values);
  observation.prior = PriorState::of_value(each_member(*values));
  return observation;
}

Status IrqKnob::apply(System& system, const Change& change) const {
  TUNE_RETURN_IF_ERROR(check_target(change.target));
  if (!change.after) return make_error("irq {}: an affinity cannot be removed", change.target);
  if (change.target == kIrqDefaultAffinity) return write_default_affinity(system, *change.after);
  return write_affinities(system, *change.after);
}

Status IrqKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  TUNE_RETURN_IF_ERROR(check_target(target));
  if (prior.kind != PriorState::Kind::Value) return make_error("irq {}: the journal holds no value to restore", target);
  if (target == kIrqDefaultAffinity) return write_default_affinity(system, prior.value);
  return write_affinities(system, prior.value);
}

bool IrqKnob::same_at(const std::string& target, const std::optional<std::string>& live,
                      const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  if (target == kIrqAffinity) return same_irq_affinities(*live, *wanted);
  return same_cpulist(*live, *wanted);
}

}  // namespace tune::linux_platform
