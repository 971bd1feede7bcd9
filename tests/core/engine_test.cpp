#include "core/engine.h"

#include "core/file_knob.h"
#include "support/faulty_system.h"
#include "support/temp_tree.h"
#include "util/dry_run_system.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace tune {
namespace {

using testing::FaultySystem;
using testing::TempTree;

// A knob over plain files holding one value each, like /proc/sys keys; the
// engine must work with any knob, so these tests use no real domain.
class ValueKnob final : public Knob {
 public:
  std::string domain() const override { return "value"; }
  Result<Observation> observe(const System& system, const std::string& path) const override {
    Observation observation;
    auto text = system.read_file(path);
    if (!text) return text.error();
    observation.value = trim(*text);
    observation.prior = PriorState::of_value(*observation.value);
    return observation;
  }
  Status apply(System& system, const Change& change) const override {
    return system.write_attribute(change.target, *change.after);
  }
  Status restore(System& system, const std::string& path, const PriorState& prior) const override {
    return system.write_attribute(path, prior.value);
  }
};

const HostIdentity kHere{"host", "id-1", "6.1.0"};
const char* kState = "/var/lib/tune";

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    knobs.add(std::make_unique<ValueKnob>());
    knobs.add(std::make_unique<FileKnob>());
    tree.write("/k/a", "1\n");
    tree.write("/k/b", "2\n");
    tree.write("/k/c", "3\n");
    tree.write("/etc/owned.conf", "original\n", 0640);
  }

  Change value_change(const std::string& path, const std::string& after) {
    LocalSystem system(tree.root());
    Change change;
    change.domain = "value";
    change.target = path;
    change.before = trim(*system.read_file(path));
    change.after = after;
    change.action = *change.before == after ? Action::None : Action::Modify;
    return change;
  }

  Plan plan_for(std::vector<Change> changes) {
    Plan plan;
    plan.profile = "test";
    plan.host = kHere;
    plan.changes = std::move(changes);
    return plan;
  }

  Plan typical_plan() {
    LocalSystem system(tree.root());
    auto file = plan_file(system, "/etc/owned.conf", "tuned\n", 0644, "test");
    auto fresh = plan_file(system, "/etc/new.d/90-tune.conf", "fresh\n", 0644, "test");
    return plan_for({value_change("/k/a", "10"), value_change("/k/b", "20"), *file, *fresh});
  }

  TempTree tree;
  KnobRegistry knobs;
};

TEST_F(EngineTest, ApplyChangesEveryTargetAndCommits) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->failed);
  EXPECT_EQ(report->applied, 4u);
  EXPECT_EQ(report->transaction, 1);
  EXPECT_EQ(tree.read("/k/a"), "10");
  EXPECT_EQ(tree.read("/etc/owned.conf"), "tuned\n");
  EXPECT_EQ(tree.read("/etc/new.d/90-tune.conf"), "fresh\n");
  auto history = engine.history();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].state, TransactionState::Committed);
  EXPECT_EQ((*history)[0].steps.size(), 4u);
}

TEST_F(EngineTest, ApplyThenRollbackRestoresEveryByteModeAndAbsence) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  ASSERT_TRUE(engine.apply(typical_plan(), kHere));
  auto rollback = engine.rollback(std::nullopt);
  ASSERT_TRUE(rollback) << rollback.error().message;
  EXPECT_TRUE(rollback->errors.empty());
  EXPECT_EQ(rollback->rolled_back, 1);
  EXPECT_EQ(rollback->transaction, 2);
  EXPECT_EQ(rollback->restored, 4u);
  EXPECT_EQ(tree.read("/k/a"), "1");
  EXPECT_EQ(tree.read("/k/b"), "2");
  EXPECT_EQ(tree.read("/etc/owned.conf"), "original\n");
  EXPECT_EQ(tree.mode("/etc/owned.conf"), 0640u);
  EXPECT_FALSE(tree.exists("/etc/new.d/90-tune.conf"));
  // Rolled back means out of effect: nothing is left to roll back.
  auto again = engine.rollback(std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "nothing to roll back: no applied transaction is in effect");
}

TEST_F(EngineTest, APlanWithNothingToDoRecordsNoTransaction) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  auto report = engine.apply(plan_for({value_change("/k/a", "1")}), kHere);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->transaction, 0);
  EXPECT_TRUE(engine.history()->empty());
}

TEST_F(EngineTest, AFailingStepPutsBackTheStepsBeforeItAndNamesTheKey) {
  FaultySystem system(tree.root());
  system.reject_value["/k/b"] = "20";
  Engine engine(system, knobs, kState);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->failed);
  EXPECT_EQ(report->failure, "value /k/b: writing /k/b: Invalid argument");
  EXPECT_TRUE(report->undo_errors.empty());
  EXPECT_EQ(tree.read("/k/a"), "1");
  EXPECT_EQ(tree.read("/etc/owned.conf"), "original\n");
  EXPECT_FALSE(tree.exists("/etc/new.d/90-tune.conf"));
  auto history = engine.history();
  EXPECT_EQ((*history)[0].state, TransactionState::Undone);
  EXPECT_TRUE(active_transactions(*history).empty());
}

TEST_F(EngineTest, AValueTheKernelDoesNotKeepIsAFailure) {
  FaultySystem system(tree.root());
  system.ignore_writes.insert("/k/b");
  Engine engine(system, knobs, kState);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->failed);
  EXPECT_EQ(report->failure, "value /k/b: asked for '20', but it reads back as '2'");
  EXPECT_EQ(tree.read("/k/a"), "1");
}

TEST_F(EngineTest, RefusesAPlanWhenATargetMovedSinceAndChangesNothing) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  Plan plan = typical_plan();
  tree.write("/k/b", "7\n");
  auto report = engine.apply(plan, kHere);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message,
            "the host changed since the plan was made: value /k/b is '7', the plan expected '2'; make a new plan");
  EXPECT_EQ(tree.read("/k/a"), "1\n");
  EXPECT_TRUE(engine.history()->empty());
}

TEST_F(EngineTest, RefusesAPlanMadeForAnotherHostOrKernel) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  auto other_host = engine.apply(typical_plan(), HostIdentity{"other", "id-2", "6.1.0"});
  ASSERT_FALSE(other_host);
  EXPECT_NE(other_host.error().message.find("made for host 'host'"), std::string::npos);
  auto other_kernel = engine.apply(typical_plan(), HostIdentity{"host", "id-1", "6.9.0"});
  ASSERT_FALSE(other_kernel);
  EXPECT_NE(other_kernel.error().message.find("kernel changed"), std::string::npos);
  EXPECT_EQ(tree.read("/k/a"), "1\n");
}

TEST_F(EngineTest, RefusesADomainItHasNoKnobFor) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  Change change = value_change("/k/a", "5");
  change.domain = "warp-drive";
  auto report = engine.apply(plan_for({change}), kHere);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("no handler for domain 'warp-drive'"), std::string::npos);
}

TEST_F(EngineTest, TwoAppliesCannotInterleave) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  ASSERT_TRUE(system.make_dirs(kState, 0700));
  auto held = system.try_lock(std::string(kState) + "/lock");
  ASSERT_TRUE(held);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("another tune is changing this host"), std::string::npos);
  EXPECT_EQ(tree.read("/k/a"), "1\n");
}

TEST_F(EngineTest, AJournalThatCannotBeWrittenStopsBeforeTheStep) {
  FaultySystem system(tree.root());
  system.journal_appends_left = 1;  // the begin record only
  Engine engine(system, knobs, kState);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("No space left on device"), std::string::npos);
  // The journal cannot record the end either, so the transaction stays open and the error says what to do.
  EXPECT_NE(report.error().message.find("transaction 1 is left in effect: run `tune rollback --last`"), std::string::npos)
      << report.error().message;
  EXPECT_EQ(tree.read("/k/a"), "1\n");
}

TEST_F(EngineTest, VerifyFindsDriftAgainstTheNewestWordOnEachTarget) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "10"), value_change("/k/c", "30")}), kHere));
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "100")}), kHere));
  auto clean = engine.verify();
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->checked, 2u);
  EXPECT_TRUE(clean->drift.empty());

  tree.write("/k/c", "99\n");
  auto drifted = engine.verify();
  ASSERT_EQ(drifted->drift.size(), 1u);
  EXPECT_EQ(drifted->drift[0].target, "/k/c");
  EXPECT_EQ(*drifted->drift[0].expected, "30");
  EXPECT_EQ(*drifted->drift[0].live, "99");
  EXPECT_EQ(drifted->drift[0].transaction, 1);
}

TEST_F(EngineTest, VerifyWithNothingAppliedChecksNothing) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  auto report = engine.verify();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->active.empty());
  EXPECT_EQ(report->checked, 0u);
}

TEST_F(EngineTest, RollbackRefusesAnUnknownIdAndOneUnderNewerChanges) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "10")}), kHere));
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "100")}), kHere));
  auto unknown = engine.rollback(7);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "there is no transaction 7 (see tune history)");
  auto buried = engine.rollback(1);
  ASSERT_FALSE(buried);
  EXPECT_EQ(buried.error().message,
            "transaction 1 is under newer changes; roll back transaction 2 first, or use --all");
  EXPECT_EQ(tree.read("/k/a"), "100");
}

TEST_F(EngineTest, RollbackAllUnwindsNewestFirstToTheOriginal) {
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "10")}), kHere));
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "100"), value_change("/k/b", "20")}), kHere));
  auto reports = engine.rollback_all();
  ASSERT_TRUE(reports) << reports.error().message;
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_EQ((*reports)[0].rolled_back, 2);
  EXPECT_EQ((*reports)[1].rolled_back, 1);
  EXPECT_EQ(tree.read("/k/a"), "1");
  EXPECT_EQ(tree.read("/k/b"), "2");
  auto rolled = engine.rollback(1);
  ASSERT_FALSE(rolled);
  EXPECT_EQ(rolled.error().message, "transaction 1 is not in effect: nothing to roll back");
}

TEST_F(EngineTest, AFailedRollbackStaysInEffectAndCanBeRetried) {
  FaultySystem system(tree.root());
  Engine engine(system, knobs, kState);
  ASSERT_TRUE(engine.apply(plan_for({value_change("/k/a", "10"), value_change("/k/b", "20")}), kHere));
  system.reject_writes.insert("/k/a");
  auto failed = engine.rollback(std::nullopt);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->errors.size(), 1u);
  EXPECT_EQ(tree.read("/k/b"), "2");  // the others were still put back
  system.reject_writes.clear();
  auto retried = engine.rollback(std::nullopt);
  ASSERT_TRUE(retried);
  EXPECT_TRUE(retried->errors.empty());
  EXPECT_EQ(retried->rolled_back, 1);
  EXPECT_EQ(tree.read("/k/a"), "1");
}

TEST_F(EngineTest, AnInterruptedTransactionIsRolledBackFromItsJournal) {
  // What a kill -9 between two steps leaves: step 1 done, step 2 journaled, no commit.
  tree.write("/k/a", "10\n");
  tree.write("/k/b", "20\n");
  tree.write("/var/lib/tune/journal/000001.jsonl",
             "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\",\"profile\":\"p\"}\n"
             "{\"record\":\"step\",\"seq\":1,\"domain\":\"value\",\"target\":\"/k/a\",\"prior\":{\"kind\":\"value\",\"value\":\"1\"},\"desired\":\"10\"}\n"
             "{\"record\":\"done\",\"seq\":1}\n"
             "{\"record\":\"step\",\"seq\":2,\"domain\":\"value\",\"target\":\"/k/b\",\"prior\":{\"kind\":\"value\",\"value\":\"2\"},\"desired\":\"20\"}\n");
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  auto verify = engine.verify();
  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->interrupted, std::vector<int>{1});
  auto rollback = engine.rollback(std::nullopt);
  ASSERT_TRUE(rollback) << rollback.error().message;
  EXPECT_EQ(rollback->restored, 2u);
  EXPECT_EQ(tree.read("/k/a"), "1");
  EXPECT_EQ(tree.read("/k/b"), "2");
}

TEST_F(EngineTest, RefusesToApplyOnTopOfAnInterruptedTransaction) {
  tree.write("/var/lib/tune/journal/000001.jsonl",
             "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\",\"profile\":\"p\"}\n"
             "{\"record\":\"step\",\"seq\":1,\"domain\":\"value\",\"target\":\"/k/c\",\"prior\":{\"kind\":\"value\",\"value\":\"0\"},\"desired\":\"3\"}\n");
  LocalSystem system(tree.root());
  Engine engine(system, knobs, kState);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message,
            "transaction 1 was interrupted and is still in effect; run `tune rollback --last` first");
  EXPECT_EQ(tree.read("/k/a"), "1\n");
  ASSERT_TRUE(engine.rollback(std::nullopt));
  EXPECT_TRUE(engine.apply(typical_plan(), kHere));
}

TEST_F(EngineTest, ADryRunGoesThroughEveryStepAndChangesNothing) {
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  Engine engine(dry, knobs, kState);
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 4u);
  EXPECT_EQ(tree.read("/k/a"), "1\n");
  EXPECT_EQ(tree.read("/etc/owned.conf"), "original\n");
  EXPECT_FALSE(tree.exists("/etc/new.d"));
  EXPECT_FALSE(tree.exists("/var/lib/tune"));
}

TEST_F(EngineTest, ADryRunStillReportsAStepTheKernelWouldRefuse) {
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  Engine engine(dry, knobs, kState);
  Change change = value_change("/k/a", "10");
  change.target = "/k/missing";
  auto report = engine.apply(plan_for({change}), kHere);
  // The key vanished since the plan: refused before anything, in a dry run too.
  EXPECT_FALSE(report);
}

// When a step fails and putting back the steps before it fails too, the
// transaction is not recorded as undone: it stays in effect, so rollback
// can finish the job once the cause is fixed.
TEST_F(EngineTest, AFailedUndoLeavesTheTransactionInEffectForRollback) {
  FaultySystem system(tree.root());
  Engine engine(system, knobs, kState);
  system.reject_writes.insert("/k/b");
  Plan plan = plan_for({value_change("/k/a", "10"), value_change("/k/b", "20")});
  // /k/a cannot be put back either: the undo fails.
  system.reject_value["/k/a"] = "1";
  auto report = engine.apply(plan, kHere);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->failed);
  EXPECT_FALSE(report->undo_errors.empty());
  auto history = engine.history();
  ASSERT_TRUE(history);
  EXPECT_EQ((*history)[0].state, TransactionState::Interrupted);
  EXPECT_EQ(tree.read("/k/a"), "10");
  system.reject_value.clear();
  system.reject_writes.clear();
  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty());
  EXPECT_EQ(tree.read("/k/a"), "1");
}

// The lock is the host's, not the state directory's: a second tune with
// another --state-dir is refused while the first one holds it.
TEST_F(EngineTest, TwoStateDirectoriesCannotChangeTheHostAtOnce) {
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.make_dirs(kHostLockDir, 0755));
  auto held = system.try_lock(std::string(kHostLockDir) + "/tune.lock");
  ASSERT_TRUE(held) << held.error().message;
  LocalSystem other(tree.root());
  Engine engine(other, knobs, "/srv/other-state");
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("another tune is changing this host"), std::string::npos) << report.error().message;
  EXPECT_EQ(tree.read("/k/a"), "1\n");
}

TEST_F(EngineTest, AStateDirectoryOthersCanWriteIsRefused) {
  tree.mkdir("/srv/shared");
  ASSERT_EQ(::chmod(tree.real("/srv/shared").c_str(), 0777), 0);
  LocalSystem system(tree.root());
  Engine engine(system, knobs, "/srv/shared");
  auto report = engine.apply(typical_plan(), kHere);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "/srv/shared is writable by others (mode 777); tune keeps its state where only its "
                                    "owner writes");
}

}  // namespace
}  // namespace tune
