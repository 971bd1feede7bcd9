// Engine: applies a plan as one transaction, verifies live state against
// what was applied, and rolls transactions back. It knows no domain: every
// read and change goes through the Knob registered for a change's domain.
#pragma once

#include "core/journal.h"
#include "core/knob.h"
#include "core/plan.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tune {

struct ApplyReport {
  int transaction = 0;  // 0: nothing needed doing, no transaction recorded
  size_t applied = 0;
  bool failed = false;   // a step failed and the steps before it were put back
  std::string failure;   // which setting and why
  std::vector<std::string> undo_errors;  // put-back failures: the host is left partly changed
};

// A failed apply in one line: where it failed, and that the steps before it
// were put back, or, when putting back failed too, what to run.
std::string describe_failed_apply(const ApplyReport& report);

struct Drift {
  int transaction = 0;
  std::string domain;
  std::string target;
  std::optional<std::string> expected;
  std::optional<std::string> live;
  std::string note;  // set when the target could not be read
};

struct VerifyReport {
  std::vector<int> active;       // transactions whose changes should be live
  std::vector<int> interrupted;  // transactions that never finished
  size_t checked = 0;
  std::vector<Drift> drift;
  // As applied, but waiting for a reboot to take effect (note says what runs now).
  std::vector<Drift> pending;
};

struct RollbackReport {
  int rolled_back = 0;  // the transaction undone
  std::string profile;  // the profile it applied
  int transaction = 0;  // the rollback's own transaction
  size_t restored = 0;
  std::vector<std::string> errors;  // steps that could not be put back
  // What the rollback moves, in its order, as plan changes (before: live,
  // after: the journaled prior), so `rollback --dry-run` renders it as a plan.
  std::vector<Change> restores;
};

// Where the host-wide lock lives (under --root, inside the tree).
inline constexpr const char* kHostLockDir = "/run/lock";

class Engine {
 public:
  // state_dir holds the lock file, and the journal unless journal_dir is given
  // (the host policy may put it elsewhere).
  Engine(System& system, const KnobRegistry& knobs, std::string state_dir, std::string journal_dir = "");

  // Refuses, changing nothing, when the plan was made for another host or a
  // target moved since. A step that fails puts back what was done before it.
  Result<ApplyReport> apply(const Plan& plan, const HostIdentity& here);

  Result<VerifyReport> verify() const;

  // Roll back one transaction (the newest active one when id is empty).
  // Only the newest active transaction may be rolled back: older ones are
  // under newer changes.
  Result<RollbackReport> rollback(std::optional<int> id);
  // Roll back every active transaction, newest first.
  Result<std::vector<RollbackReport>> rollback_all();

  Result<std::vector<Transaction>> history() const { return journal_.load_all(); }

  // What starts the transactions this engine records, for the journal and
  // `tune history` (e.g. "hook post-install"); empty for a command at a shell.
  void set_origin(std::string origin) { origin_ = std::move(origin); }

 private:
  const Knob* knob_for(const std::string& domain) const;
  // The host-wide lock, then the state directory's (checked private first).
  Result<std::vector<std::unique_ptr<LockHandle>>> lock_host();
  Status check_still_current(const Plan& plan, const HostIdentity& here) const;
  Result<RollbackReport> rollback_locked(std::optional<int> id);
  std::vector<std::string> undo(const std::vector<std::pair<const Knob*, JournalStep>>& done);

  System& system_;
  const KnobRegistry& knobs_;
  std::string state_dir_;
  Journal journal_;
  std::string origin_;
};

}  // namespace tune
