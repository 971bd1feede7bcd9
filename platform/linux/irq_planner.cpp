#include "platform/linux/irq_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/cpu_sets.h"
#include "platform/linux/irq_files.h"
#include "platform/linux/irq_knob.h"
#include "platform/linux/irqbalance_knob.h"
#include "platform/linux/systemd_knob.h"
#include "platform/linux/tmpfiles.h"
#include "platform/linux/unit_files.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

const std::vector<std::string> kOrder = {kBannedCpus, kIrqDefaultAffinity, kIrqAffinity};

bool intersects(const CpuSet& a, const CpuSet& b) {
  return std::any_of(a.begin(), a.end(), [&](unsigned cpu) { return b.count(cpu) != 0; });
}

CpuSet minus(const CpuSet& a, const CpuSet& b) {
  CpuSet out;
  for (unsigned cpu : a) {
    if (!b.count(cpu)) out.insert(cpu);
  }
  return out;
}

class IrqPlanning {
 public:
  IrqPlanning(const PlanRequest& request, Plan& plan)
      : request_(request), plan_(plan), system_(request.system),
        possible_(host_cpus(system_, "possible")), online_(host_cpus(system_, "online")) {}

  Status run() {
    std::vector<const Setting*> settings = request_.profile.in_domain("irq");
    if (settings.empty()) return {};
    auto rank = [](const Setting* s) { return std::find(kOrder.begin(), kOrder.end(), s->key) - kOrder.begin(); };
    std::stable_sort(settings.begin(), settings.end(), [&](const Setting* a, const Setting* b) { return rank(a) < rank(b); });
    for (const Setting* setting : settings) {
      auto cpus = wanted_cpus(*setting);
      if (!cpus) continue;
      if (setting->key == kBannedCpus) TUNE_RETURN_IF_ERROR(plan_banned(*setting, *cpus));
      if (setting->key == kIrqDefaultAffinity) TUNE_RETURN_IF_ERROR(plan_default(*setting, *cpus));
      if (setting->key == kIrqAffinity) TUNE_RETURN_IF_ERROR(plan_affinity(*setting, *cpus));
    }
    // Runtime values, then the boot file, then irqbalance's drop-in and its calls.
    for (auto& change : runtime_) plan_.changes.push_back(std::move(change));
    if (!boot_.empty()) {
      auto file = plan_file(system_, kIrqBootFile,
                            tmpfiles_text(request_.profile.name, "the default affinity of new interrupts", boot_), 0644,
                            request_.profile.name + " (irq default_affinity, so it holds after a reboot)");
      if (!file) return file.error();
      plan_.changes.push_back(std::move(*file));
    }
    if (dropin_) add_dropin_and_calls();
    return {};
  }

 private:
  void skip(const Setting& setting, const std::string& reason) {
    plan_.skipped.push_back({"irq", setting.key, setting.want.describe(), reason, setting_origin(setting)});
  }

  // The setting's CPUs, checked against the CPUs this host can have; nullopt once skipped.
  std::optional<CpuSet> wanted_cpus(const Setting& setting) {
    if (setting.want.op != Want::Op::Exact || setting.want.values.size() != 1) {
      skip(setting, "a CPU list is given as one value");
      return std::nullopt;
    }
    const std::string& text = setting.want.values.front();
    auto cpus = parse_cpulist(text);
    if (!cpus || cpus->empty()) {
      skip(setting, "'" + text + "' is not a CPU list (such as 0-3,8)");
      return std::nullopt;
    }
    if (possible_) {
      CpuSet missing = minus(*cpus, *possible_);
      if (!missing.empty()) {
        skip(setting, describe_cpus(missing) + " not on this host (it has " + describe_cpus(*possible_) + ")");
        return std::nullopt;
      }
    }
    return cpus;
  }

  // The kernel refuses a default with no online CPU, and gives an IRQ
  // other CPUs than asked when none of them is online.
  bool has_online(const Setting& setting, const CpuSet& cpus) {
    if (!online_ || intersects(cpus, *online_)) return true;
    skip(setting, "names no online CPU (online: " + format_cpulist(*online_) + "), and interrupts need one");
    return false;
  }

  Status plan_default(const Setting& setting, const CpuSet& cpus) {
    if (!has_online(setting, cpus)) return {};
    auto observed = IrqKnob().observe(system_, kIrqDefaultAffinity);
    if (!observed) return observed.error();
    if (!observed->supported || !observed->writable) {
      skip(setting, observed->note);
      return {};
    }
    Change change = value_change(setting, kIrqDefaultAffinity, observed->value, format_cpulist(cpus));
    change.persistence = Persistence::File;
    change.note = "what an IRQ gets when it is set up";
    boot_.push_back({kDefaultAffinityFile, format_cpu_mask(cpus)});
    runtime_.push_back(std::move(change));
    return {};
  }

  Status plan_affinity(const Setting& setting, const CpuSet& cpus) {
    if (!has_online(setting, cpus)) return {};
    auto irqs = list_irqs(system_);
    if (!irqs) return irqs.error();
    if (irqs->movable.empty()) {
      skip(setting, "not available here: no IRQ whose affinity may be changed" +
                        (irqs->fixed.empty() ? std::string() : " (the kernel keeps IRQs " + join(irqs->fixed, ", ") + ")"));
      return {};
    }
    auto observed = IrqKnob().observe(system_, kIrqAffinity);
    if (!observed) return observed.error();
    Change change = value_change(setting, kIrqAffinity, observed->value, format_cpulist(cpus));
    change.persistence = Persistence::Runtime;
    change.note = fmt::format("on {} IRQ{}", irqs->movable.size(), irqs->movable.size() == 1 ? "" : "s");
    if (!irqs->fixed.empty()) {
      const bool one = irqs->fixed.size() == 1;
      change.note += (one ? "; IRQ " : "; IRQs ") + join(irqs->fixed, ", ") +
                     (one ? " stays where the kernel keeps it (a per-CPU or managed interrupt)"
                          : " stay where the kernel keeps them (per-CPU or managed interrupts)");
    }
    plan_.warnings.push_back(
        "irq affinity moves the IRQs there are now and is not kept: an IRQ set up later (a device added, a driver "
        "loaded, the next boot) gets default_affinity" +
        std::string(asks_for(kIrqDefaultAffinity) ? "" : ", which this profile does not set"));
    if (!asks_for(kBannedCpus) && irqbalance_active()) {
      plan_.warnings.push_back("irqbalance is running and moves IRQs again within seconds: set irq.banned_cpus too, "
                               "or stop irqbalance");
    }
    runtime_.push_back(std::move(change));
    return {};
  }

  Status plan_banned(const Setting& setting, const CpuSet& cpus) {
    UnitFiles files = find_unit_files(system_, kIrqbalanceUnit);
    if (files.fragment.empty() || files.masked) {
      skip(setting, std::string(files.masked ? "irqbalance.service is masked" : "irqbalance is not installed") +
                        ": nothing moves IRQs, `affinity` places them once");
      return {};
    }
    if (online_ && !intersects(*online_, minus(*online_, cpus))) {
      skip(setting, "bans every online CPU (" + format_cpulist(*online_) + "): irqbalance would have none to use");
      return {};
    }
    const std::string wanted = format_cpulist(cpus);
    const std::string text = irqbalance_dropin_text(request_.profile.name, wanted);
    // The older mask variable, set anywhere, and the list set in an
    // EnvironmentFile= (whose values win over any Environment= line) are the
    // host's own choice: tune does not write over them.
    auto mask = irqbalance_variable(system_, kBannedMaskVariable);
    if (!mask) return mask.error();
    if (mask->value) {
      skip(setting, mask->from + " sets " + kBannedMaskVariable + ", irqbalance's older form of the same setting: " +
                        "remove it there, and tune sets " + kBannedVariable);
      return {};
    }
    auto before = irqbalance_variable(system_, kBannedVariable, std::optional<std::string>());
    if (!before) return before.error();
    if (before->from_environment_file && before->value && same_cpulist(*before->value, wanted)) {
      skip(setting, "already as wanted: " + before->from + " sets " + kBannedVariable + "=" + *before->value);
      return {};
    }
    if (before->from_environment_file) {
      skip(setting, before->from + " sets " + kBannedVariable + ", and an EnvironmentFile= value wins over tune's " +
                        "drop-in: change it there, or remove it and let tune set it");
      return {};
    }
    auto after = irqbalance_variable(system_, kBannedVariable, std::optional<std::string>(text));
    if (!after) return after.error();
    if (!after->value || !same_cpulist(*after->value, wanted)) {
      skip(setting, after->from + " sets " + kBannedVariable + " after tune's drop-in, so irqbalance would get " +
                        after->value.value_or("") + ": remove it there");
      return {};
    }
    auto live = irqbalance_variable(system_, kBannedVariable);
    if (!live) return live.error();
    view_ = value_change(setting, kBannedCpus, live->value, wanted);
    view_->domain = kIrqbalanceDomain;
    view_->persistence = Persistence::File;
    view_->note = "what irqbalance.service is started with (IRQBALANCE_BANNED_CPULIST)";
    auto file = plan_file(system_, kIrqbalanceDropIn, text, 0644,
                          request_.profile.name + " (irq banned_cpus, for irqbalance.service)");
    if (!file) return file.error();
    dropin_ = std::move(*file);
    return {};
  }

  Change value_change(const Setting& setting, const std::string& target, const std::optional<std::string>& before,
                      const std::string& wanted) const {
    Change change;
    change.domain = "irq";
    change.target = target;
    change.before = before;
    change.after = wanted;
    const bool same = before && (target == kIrqAffinity ? same_irq_affinities(*before, wanted) : same_cpulist(*before, wanted));
    change.action = same ? Action::None : before ? Action::Modify : Action::Create;
    if (same) change.after = change.before;
    change.reason = setting_origin(setting);
    return change;
  }

  bool asks_for(const std::string& key) const {
    auto settings = request_.profile.in_domain("irq");
    return std::any_of(settings.begin(), settings.end(), [&](const Setting* s) { return s->key == key; });
  }

  bool irqbalance_active() const {
    ServiceManager& services = system_.services();
    if (!services.running()) return false;
    auto status = services.status(kIrqbalanceUnit);
    return status && status->active_state == "active";
  }

  Change call(const std::string& target, const std::string& note) const {
    return systemctl_call(target, request_.profile.name, note);
  }

  // The view and the drop-in go before a daemon-reload the plan already
  // makes (one per plan), or are followed by their own; then irqbalance
  // restarts, if it runs. A derived view reads its "before" ahead of its file.
  void add_dropin_and_calls() {
    const bool changed = dropin_->action != Action::None;
    auto has = [&](const std::string& target) {
      return std::find_if(plan_.changes.begin(), plan_.changes.end(), [&](const Change& c) {
        return c.domain == "systemd" && c.target == target;
      });
    };
    ServiceManager& services = system_.services();
    if (!changed || !services.running()) {
      plan_.changes.push_back(std::move(*view_));
      plan_.changes.push_back(std::move(*dropin_));
      if (!changed) return;
      plan_.warnings.push_back("systemd is not running here (" + services.describe() +
                               "): irqbalance's drop-in is written, and irqbalance reads it when it next starts");
      return;
    }
    const bool active = irqbalance_active();
    if (!active) dropin_->note = "takes effect when irqbalance.service next starts";
    auto reload = has(kDaemonReload);
    if (reload != plan_.changes.end()) {
      reload = plan_.changes.insert(reload, std::move(*dropin_));
      plan_.changes.insert(reload, std::move(*view_));
    } else {
      plan_.changes.push_back(std::move(*view_));
      plan_.changes.push_back(std::move(*dropin_));
      plan_.changes.push_back(call(kDaemonReload, "systemd loads irqbalance's drop-in"));
    }
    if (active && has(restart_target(kIrqbalanceUnit)) == plan_.changes.end()) {
      plan_.changes.push_back(call(restart_target(kIrqbalanceUnit), "so irqbalance leaves the banned CPUs alone"));
    }
  }

  const PlanRequest& request_;
  Plan& plan_;
  const System& system_;
  const std::optional<CpuSet> possible_;
  const std::optional<CpuSet> online_;
  std::optional<Change> view_;
  std::vector<Change> runtime_;
  std::vector<BootWrite> boot_;
  std::optional<Change> dropin_;
};

}  // namespace

Status IrqPlanner::plan(const PlanRequest& request, Plan& plan) const { return IrqPlanning(request, plan).run(); }

}  // namespace tune::linux_platform
