#include "core/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <unistd.h>

namespace tune {
namespace {

std::string show(const std::optional<std::string>& state) { return state ? "'" + *state + "'" : "absent"; }

// Test-only: stop between two steps so a test can kill -9 the applier there.
void fault_point_after_step(int seq) {
#ifdef TUNE_FAULT_POINTS
  const char* pause_after = std::getenv("TUNE_TEST_PAUSE_AFTER_STEP");
  if (pause_after == nullptr || std::atoi(pause_after) != seq) return;
  if (const char* marker = std::getenv("TUNE_TEST_PAUSE_FILE")) std::ofstream(marker) << getpid() << "\n";
  for (;;) pause();
#else
  (void)seq;
#endif
}

// One step of a rollback as a plan would show it: from what is live now to
// the prior the journal kept.
Change restore_change(const JournalStep& original, const std::optional<std::string>& live, const Knob& knob) {
  Change change = step_as_change(original, live, original.prior.as_state(), &knob);
  if (knob.derived()) change.note = "follows from the files put back";
  return change;
}

}  // namespace

Engine::Engine(System& system, const KnobRegistry& knobs, std::string state_dir, std::string journal_dir)
    : system_(system),
      knobs_(knobs),
      state_dir_(std::move(state_dir)),
      journal_(system, journal_dir.empty() ? state_dir_ + "/journal" : std::move(journal_dir)) {}

const Knob* Engine::knob_for(const std::string& domain) const { return knobs_.find(domain); }

Status Engine::check_still_current(const Plan& plan, const HostIdentity& here) const {
  if (plan.host.machine_id != here.machine_id || plan.host.hostname != here.hostname) {
    return make_error("this plan was made for host '{}' (machine id {}), not this one ('{}'); make a new plan here",
                      plan.host.hostname, plan.host.machine_id, here.hostname);
  }
  if (plan.host.kernel != here.kernel) {
    return make_error("the kernel changed since the plan was made ({} then, {} now); make a new plan",
                      plan.host.kernel, here.kernel);
  }
  for (const auto& change : plan.changes) {
    const Knob* knob = knob_for(change.domain);
    if (knob == nullptr) return make_error("{}: this tune has no handler for domain '{}'", change.address(), change.domain);
    if (knob->is_call(change.target)) continue;
    auto observed = knob->observe(system_, change.target);
    if (!observed) return observed.error();
    if (!knob->same_at(change.target, observed->value, change.before)) {
      return make_error("the host changed since the plan was made: {} {} is {}, the plan expected {}; make a new plan",
                        change.domain, change.target, show(observed->value), show(change.before));
    }
  }
  return {};
}

std::vector<std::string> Engine::undo(const std::vector<std::pair<const Knob*, JournalStep>>& done) {
  std::vector<std::string> errors;
  auto put_back = [&](const Knob* knob, const JournalStep& step) {
    spdlog::info("undoing {} {}", step.domain, step.target);
    if (auto restored = knob->restore(system_, step.target, step.prior); !restored) {
      errors.push_back(fmt::format("{} {}: {}", step.domain, step.target, restored.error().message));
    }
  };
  // States newest first; then the calls again, in their order, over the files put back.
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    if (!it->first->is_call(it->second.target)) put_back(it->first, it->second);
  }
  for (const auto& [knob, step] : done) {
    if (knob->is_call(step.target)) put_back(knob, step);
  }
  return errors;
}

Result<ApplyReport> Engine::apply(const Plan& plan, const HostIdentity& here) {
  ApplyReport report;
  if (plan.pending() == 0) return report;
  auto locks = lock_host();
  if (!locks) return locks.error();
  // Checked under the lock, so no other tune can move the host in between.
  TUNE_RETURN_IF_ERROR(check_still_current(plan, here));
  // A transaction cut short left the host half-changed; stacking another on
  // top would bury the only record of how to put it back.
  auto all = journal_.load_all();
  if (!all) return all.error();
  for (const Transaction* txn : active_transactions(*all)) {
    if (txn->state == TransactionState::Interrupted) {
      return make_error("transaction {} was interrupted and is still in effect; run `tune rollback --last` first",
                        txn->id);
    }
  }

  auto writer = journal_.begin(TransactionKind::Apply, plan.profile, plan.profile_digest, 0, origin_);
  if (!writer) return writer.error();
  report.transaction = writer->id();

  std::vector<std::pair<const Knob*, JournalStep>> done;
  // Derived targets, read back once the steps they follow from are done.
  std::vector<std::pair<const Change*, JournalStep>> derived;

  // A step failed: put back what was done (a recorded step may have
  // half-happened, so it is put back too) and mark the transaction undone,
  // or, when putting back failed, leave it in effect for rollback.
  auto fail = [&](const Change& change, const std::string& why) -> Result<ApplyReport> {
    report.failed = true;
    report.failure = fmt::format("{} {}: {}", change.domain, change.target, why);
    spdlog::error("{}", report.failure);
    report.undo_errors = undo(done);
    // Only a complete undo ends the transaction; otherwise it stays in effect for `tune rollback`.
    auto marked = report.undo_errors.empty()
                      ? writer->undone(report.failure)
                      : writer->undo_failed(report.failure + "; putting back failed: " + report.undo_errors.front());
    if (!marked) report.undo_errors.push_back(marked.error().message);
    return report;
  };
  // The journal refused a record (a full disk): put back what was done, then
  // try once more to close the transaction as undone, so that a passing
  // failure does not leave it open for recovery.
  auto journal_failed = [&](const Error& error) -> Result<ApplyReport> {
    report.undo_errors = undo(done);
    if (report.undo_errors.empty() && writer->undone("journal: " + error.message)) {
      return make_error("journal: {}; what was applied is put back", error.message);
    }
    return make_error("journal: {}; transaction {} is left in effect: run `tune rollback --last`", error.message,
                      writer->id());
  };

  int seq = 0;
  for (const auto& change : plan.changes) {
    if (change.action == Action::None) continue;
    const Knob* knob = knob_for(change.domain);
    JournalStep step{++seq, change.domain, change.target, {}, change.after, false};

    auto observed = knob->observe(system_, change.target);
    if (!observed) return fail(change, observed.error().message);
    step.prior = observed->prior;
    // The promise of the journal: the prior state is on disk before the change.
    if (auto journaled = writer->step(step); !journaled) return journal_failed(journaled.error());
    if (knob->derived() && !knob->is_call(change.target)) {
      derived.emplace_back(&change, step);
      continue;
    }
    done.emplace_back(knob, step);
    spdlog::info("{} {} {} -> {}", action_symbol(change.action), change.address(), show(observed->value), show(change.after));
    if (auto applied = knob->apply(system_, change); !applied) return fail(change, applied.error().message);
    if (knob->is_call(change.target)) {
      // A call has no state to read back: it succeeded or it failed.
      if (auto marked = writer->done(step.seq); !marked) return journal_failed(marked.error());
      ++report.applied;
      fault_point_after_step(step.seq);
      continue;
    }
    auto after = knob->observe(system_, change.target);
    if (!after) return fail(change, after.error().message);
    if (!knob->same_at(change.target, after->value, change.after)) {
      return fail(change, fmt::format("asked for {}, but it reads back as {}", show(change.after), show(after->value)));
    }
    if (auto marked = writer->done(step.seq); !marked) return journal_failed(marked.error());
    ++report.applied;
    fault_point_after_step(step.seq);
  }
  for (const auto& [change, step] : derived) {
    const Knob* knob = knob_for(change->domain);
    auto after = knob->observe(system_, change->target);
    if (!after) return fail(*change, after.error().message);
    if (!knob->same_at(change->target, after->value, change->after)) {
      return fail(*change, fmt::format("the applied files give {}, not {}", show(after->value), show(change->after)));
    }
    if (auto marked = writer->done(step.seq); !marked) return journal_failed(marked.error());
    ++report.applied;
  }
  // Without its commit record the transaction would read as interrupted.
  if (auto committed = writer->commit(); !committed) return journal_failed(committed.error());
  return report;
}

Result<VerifyReport> Engine::verify() const {
  auto all = journal_.load_all();
  if (!all) return all.error();
  VerifyReport report;
  // What should be live now: the newest active transaction's word on each target.
  std::map<std::string, std::pair<int, const JournalStep*>> wanted;
  std::vector<std::string> order;
  for (const Transaction* txn : active_transactions(*all)) {
    report.active.push_back(txn->id);
    if (txn->state == TransactionState::Interrupted) report.interrupted.push_back(txn->id);
    for (const auto& step : txn->steps) {
      const std::string address = step.domain + ":" + step.target;
      if (!wanted.count(address)) order.push_back(address);
      wanted[address] = {txn->id, &step};
    }
  }
  for (const auto& address : order) {
    const auto& [txn_id, step] = wanted[address];
    Drift drift{txn_id, step->domain, step->target, step->desired, std::nullopt, ""};
    const Knob* knob = knob_for(step->domain);
    if (knob != nullptr && knob->is_call(step->target)) continue;  // a call leaves no state to compare
    ++report.checked;
    if (knob == nullptr) {
      drift.note = "no handler for this domain";
      report.drift.push_back(drift);
      continue;
    }
    auto observed = knob->observe(system_, step->target);
    if (!observed) {
      drift.note = observed.error().message;
      report.drift.push_back(drift);
      continue;
    }
    if (!knob->same_at(step->target, observed->value, step->desired)) {
      drift.live = observed->value;
      report.drift.push_back(drift);
    } else if (!observed->pending.empty()) {
      drift.live = observed->value;
      drift.note = observed->pending;
      report.pending.push_back(drift);
    }
  }
  return report;
}

Result<RollbackReport> Engine::rollback(std::optional<int> id) {
  auto locks = lock_host();
  if (!locks) return locks.error();
  return rollback_locked(id);
}

Result<std::vector<std::unique_ptr<LockHandle>>> Engine::lock_host() {
  // One tune changes a host at a time, whatever state directory each was given.
  std::vector<std::unique_ptr<LockHandle>> held;
  TUNE_RETURN_IF_ERROR(system_.make_dirs(kHostLockDir, 0755));
  auto host = system_.try_lock(std::string(kHostLockDir) + "/tune.lock");
  if (!host) return host.error();
  held.push_back(std::move(*host));
  TUNE_RETURN_IF_ERROR(check_private_path(system_, state_dir_));
  TUNE_RETURN_IF_ERROR(system_.make_dirs(state_dir_, 0700));
  TUNE_RETURN_IF_ERROR(check_private_path(system_, state_dir_));
  auto state = system_.try_lock(state_dir_ + "/lock");
  if (!state) return state.error();
  held.push_back(std::move(*state));
  return held;
}

Result<std::vector<RollbackReport>> Engine::rollback_all() {
  auto locks = lock_host();
  if (!locks) return locks.error();
  std::vector<RollbackReport> reports;
  for (;;) {
    auto all = journal_.load_all();
    if (!all) return all.error();
    if (active_transactions(*all).empty()) return reports;
    auto report = rollback_locked(std::nullopt);
    if (!report) return report.error();
    reports.push_back(*report);
    if (!report->errors.empty()) return reports;
  }
}

Result<RollbackReport> Engine::rollback_locked(std::optional<int> id) {
  auto all = journal_.load_all();
  if (!all) return all.error();
  auto active = active_transactions(*all);
  if (active.empty()) {
    if (id) {
      bool exists = std::any_of(all->begin(), all->end(), [&](const Transaction& t) { return t.id == *id; });
      if (!exists) return make_error("there is no transaction {} (see tune history)", *id);
      return make_error("transaction {} is not in effect: nothing to roll back", *id);
    }
    return make_error("nothing to roll back: no applied transaction is in effect");
  }
  const Transaction& newest = *active.back();
  if (id && *id != newest.id) {
    auto it = std::find_if(all->begin(), all->end(), [&](const Transaction& t) { return t.id == *id; });
    if (it == all->end()) return make_error("there is no transaction {} (see tune history)", *id);
    if (std::find(active.begin(), active.end(), &*it) == active.end()) {
      return make_error("transaction {} is not in effect: nothing to roll back", *id);
    }
    return make_error("transaction {} is under newer changes; roll back transaction {} first, or use --all", *id,
                      newest.id);
  }

  RollbackReport report;
  report.rolled_back = newest.id;
  report.profile = newest.profile;
  auto writer = journal_.begin(TransactionKind::Rollback, newest.profile, newest.plan_digest, newest.id, origin_);
  if (!writer) return writer.error();
  report.transaction = writer->id();
  int seq = 0;
  // Derived targets follow from the other steps: checked once those are put
  // back. Calls are made again once the files they follow are put back.
  std::vector<std::pair<const Knob*, JournalStep>> derived;
  std::vector<std::pair<const Knob*, JournalStep>> calls;
  for (auto it = newest.steps.rbegin(); it != newest.steps.rend(); ++it) {
    const JournalStep& original = *it;
    const Knob* knob = knob_for(original.domain);
    if (knob == nullptr) {
      report.errors.push_back(fmt::format("{} {}: no handler for this domain", original.domain, original.target));
      continue;
    }
    if (knob->is_call(original.target)) {
      calls.insert(calls.begin(), {knob, original});
      continue;
    }
    auto observed = knob->observe(system_, original.target);
    if (!observed) {
      report.errors.push_back(fmt::format("{} {}: {}", original.domain, original.target, observed.error().message));
      continue;
    }
    JournalStep step{++seq, original.domain, original.target, observed->prior, original.prior.as_state(), false};
    report.restores.push_back(restore_change(original, observed->value, *knob));
    TUNE_RETURN_IF_ERROR(writer->step(step));
    if (knob->derived()) {
      derived.emplace_back(knob, step);
      continue;
    }
    spdlog::info("restoring {} {} to {}", original.domain, original.target, show(original.prior.as_state()));
    auto restored = knob->restore(system_, original.target, original.prior);
    if (restored) {
      auto after = knob->observe(system_, original.target);
      if (!after) restored = after.error();
      else if (!knob->same_at(original.target, after->value, original.prior.as_state()))
        restored = make_error("it reads back as {}", show(after->value));
    }
    if (!restored) {
      report.errors.push_back(fmt::format("{} {}: {}", original.domain, original.target, restored.error().message));
      continue;
    }
    TUNE_RETURN_IF_ERROR(writer->done(step.seq));
    ++report.restored;
  }
  for (const auto& [knob, original] : calls) {
    JournalStep step{++seq, original.domain, original.target, original.prior, original.desired, false};
    Change call = step_as_change(original, std::nullopt, original.desired, knob);
    call.note = "made again once the files before it are put back";
    report.restores.push_back(call);
    TUNE_RETURN_IF_ERROR(writer->step(step));
    spdlog::info("calling {} {} again", original.domain, original.target);
    if (auto called = knob->restore(system_, original.target, original.prior); !called) {
      report.errors.push_back(fmt::format("{} {}: {}", original.domain, original.target, called.error().message));
      continue;
    }
    TUNE_RETURN_IF_ERROR(writer->done(step.seq));
    ++report.restored;
  }
  for (const auto& [knob, step] : derived) {
    auto after = knob->observe(system_, step.target);
    if (!after) {
      report.errors.push_back(fmt::format("{} {}: {}", step.domain, step.target, after.error().message));
    } else if (!knob->same_at(step.target, after->value, step.desired)) {
      report.errors.push_back(fmt::format("{} {}: the restored files give {}, not {}", step.domain, step.target,
                                          show(after->value), show(step.desired)));
    } else {
      TUNE_RETURN_IF_ERROR(writer->done(step.seq));
      ++report.restored;
    }
  }
  // Left uncommitted on failure, so the transaction stays in effect and can be retried.
  if (report.errors.empty()) TUNE_RETURN_IF_ERROR(writer->commit());
  return report;
}

std::string describe_failed_apply(const ApplyReport& report) {
  if (!report.undo_errors.empty()) {
    return "apply failed at " + report.failure + ", and putting back failed too (" + report.undo_errors.front() +
           "); run `tune rollback " + std::to_string(report.transaction) + "` once the cause is fixed";
  }
  return "apply failed at " + report.failure + "; the " + std::to_string(report.applied) +
         " changes made before it were put back";
}

}  // namespace tune
