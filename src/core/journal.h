// Journal: one append-only file per transaction under the state directory.
// Every step's prior state is written and made durable before the step runs,
// so a crash at any point leaves enough on disk to put the host back.
// Rollbacks are transactions of their own: history is never edited.
#pragma once

#include "core/change.h"
#include "core/knob.h"
#include "util/result.h"
#include "util/system.h"

#include <optional>
#include <string>
#include <vector>

namespace tune {

enum class TransactionKind { Apply, Rollback };

// Derived from the records a transaction's file holds.
enum class TransactionState {
  Interrupted,  // begun, never finished: tune was killed or crashed
  Committed,    // every step done
  Undone,       // a step failed and tune put back the steps before it
};

const char* transaction_state_name(TransactionState state);

struct JournalStep {
  int seq = 0;
  std::string domain;
  std::string target;
  PriorState prior;
  std::optional<std::string> desired;
  bool done = false;
};

struct Transaction {
  int id = 0;
  TransactionKind kind = TransactionKind::Apply;
  std::string started_at;
  std::string finished_at;
  std::string profile;
  std::string plan_digest;
  int rolls_back = 0;  // Rollback: the id it undoes
  std::string origin;  // what started it when not a person at a shell, e.g. "hook post-install"
  std::vector<JournalStep> steps;
  TransactionState state = TransactionState::Interrupted;
  std::string failure;     // Undone: why
  std::string path;        // the file it was read from
  int rolled_back_by = 0;  // Apply: the committed rollback that undid it, if any
};

// Appends the records of one transaction as it runs.
class TransactionWriter {
 public:
  TransactionWriter(System& system, std::string path, int id) : system_(system), path_(std::move(path)), id_(id) {}
  int id() const { return id_; }
  Status step(const JournalStep& step);
  Status done(int seq);
  Status commit();
  Status undone(const std::string& reason);
  // A step failed and putting back the earlier ones failed too: the
  // transaction stays in effect (as if interrupted), so rollback can retry.
  Status undo_failed(const std::string& reason);

 private:
  Status append(const std::string& line);
  System& system_;
  std::string path_;
  int id_;
};

class Journal {
 public:
  Journal(System& system, std::string directory) : system_(system), directory_(std::move(directory)) {}

  const std::string& directory() const { return directory_; }

  // Every transaction, oldest first, with rolled_back_by filled in. A
  // directory that does not exist yet is an empty history.
  Result<std::vector<Transaction>> load_all() const;

  // Start a transaction with the next free id; the begin record is durable on return.
  // origin: what started it when not a command typed at a shell (empty: not recorded).
  Result<TransactionWriter> begin(TransactionKind kind, const std::string& profile, const std::string& plan_digest,
                                  int rolls_back, const std::string& origin = "");

 private:
  System& system_;
  std::string directory_;
};

// Parse one transaction file. A last line cut short by a crash is ignored;
// any other damage is an error naming file and line.
Result<Transaction> parse_transaction(const std::string& text, const std::string& path);

// Apply transactions whose changes are in effect: committed or interrupted,
// and not undone by a committed rollback. Oldest first.
// The state directory, the journal and its files decide what rollback
// writes as root: each must be a real directory or file (not a link), owned by
// the user tune runs as, and writable by no one else. Absent is fine.
Status check_private_path(const System& system, const std::string& path);

std::vector<const Transaction*> active_transactions(const std::vector<Transaction>& all);

std::string utc_now_iso8601();

// One journaled step as a plan shows a change, from `before` to `after` (the
// step's prior and desired for what it did; live and prior for undoing it):
// a call for a knob's calls, '=' where the knob finds the two the same, else
// created, removed or modified; a file keeps its prior's mode.
Change step_as_change(const JournalStep& step, const std::optional<std::string>& before,
                      const std::optional<std::string>& after, const Knob* knob);

}  // namespace tune
