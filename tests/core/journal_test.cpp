#include "core/journal.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

#include <unistd.h>

namespace tune {
namespace {

using testing::TempTree;

const char* kDir = "/var/lib/tune/journal";

TEST(Journal, EmptyWhenTheDirectoryDoesNotExist) {
  TempTree tree;
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  auto all = journal.load_all();
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST(Journal, RecordsAndReadsBackATransaction) {
  TempTree tree;
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  auto writer = journal.begin(TransactionKind::Apply, "throughput", "d1", 0);
  ASSERT_TRUE(writer);
  EXPECT_EQ(writer->id(), 1);
  PriorState file_prior{PriorState::Kind::File, std::string("a\0b\xff\n", 5), 0640, 0, 0, {}};
  ASSERT_TRUE(writer->step({1, "sysctl", "vm.swappiness", PriorState::of_value("60"), "10", false}));
  ASSERT_TRUE(writer->done(1));
  ASSERT_TRUE(writer->step({2, "file", "/etc/x", file_prior, "new", false}));
  ASSERT_TRUE(writer->done(2));
  ASSERT_TRUE(writer->commit());

  auto all = journal.load_all();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  const Transaction& txn = (*all)[0];
  EXPECT_EQ(txn.id, 1);
  EXPECT_EQ(txn.profile, "throughput");
  EXPECT_EQ(txn.state, TransactionState::Committed);
  ASSERT_EQ(txn.steps.size(), 2u);
  EXPECT_EQ(txn.steps[0].prior.value, "60");
  EXPECT_EQ(*txn.steps[0].desired, "10");
  EXPECT_TRUE(txn.steps[1].done);
  // Binary bytes and mode survive exactly.
  EXPECT_EQ(txn.steps[1].prior.value, std::string("a\0b\xff\n", 5));
  EXPECT_EQ(txn.steps[1].prior.mode, 0640u);
  EXPECT_EQ(tree.mode("/var/lib/tune/journal/000001.jsonl"), 0600u);
}

TEST(Journal, WhatStartedATransactionIsKeptOnlyWhenGiven) {
  TempTree tree;
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  auto by_hook = journal.begin(TransactionKind::Apply, "throughput", "d1", 0, "hook post-install");
  ASSERT_TRUE(by_hook);
  ASSERT_TRUE(by_hook->commit());
  auto by_hand = journal.begin(TransactionKind::Apply, "throughput", "d1", 0);
  ASSERT_TRUE(by_hand);
  ASSERT_TRUE(by_hand->commit());
  auto all = journal.load_all();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].origin, "hook post-install");
  EXPECT_EQ((*all)[1].origin, "");
  // Journals written before the field existed have no "origin" at all.
  EXPECT_EQ(tree.read("/var/lib/tune/journal/000002.jsonl").find("origin"), std::string::npos);
}

TEST(Journal, IdsIncreaseAcrossTransactions) {
  TempTree tree;
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  ASSERT_EQ(journal.begin(TransactionKind::Apply, "a", "", 0)->id(), 1);
  ASSERT_EQ(journal.begin(TransactionKind::Apply, "b", "", 0)->id(), 2);
  EXPECT_EQ(journal.load_all()->size(), 2u);
}

TEST(Journal, ATransactionWithoutCommitIsInterrupted) {
  auto txn = parse_transaction(
      "{\"record\":\"begin\",\"id\":3,\"kind\":\"apply\"}\n"
      "{\"record\":\"step\",\"seq\":1,\"domain\":\"sysctl\",\"target\":\"vm.swappiness\",\"prior\":{\"kind\":\"value\",\"value\":\"60\"},\"desired\":\"10\"}\n",
      "j");
  ASSERT_TRUE(txn) << txn.error().message;
  EXPECT_EQ(txn->state, TransactionState::Interrupted);
  EXPECT_FALSE(txn->steps[0].done);
}

TEST(Journal, ALastLineCutShortByACrashIsIgnored) {
  auto txn = parse_transaction(
      "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n"
      "{\"record\":\"step\",\"seq\":1,\"dom",
      "j");
  ASSERT_TRUE(txn) << txn.error().message;
  EXPECT_TRUE(txn->steps.empty());
}

TEST(Journal, DamageInsideTheFileNamesFileAndLine) {
  auto txn = parse_transaction(
      "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n"
      "garbage\n"
      "{\"record\":\"commit\"}\n",
      "/var/lib/tune/journal/000001.jsonl");
  ASSERT_FALSE(txn);
  EXPECT_EQ(txn.error().message, "corrupt journal /var/lib/tune/journal/000001.jsonl:2: not a JSON record");
}

TEST(Journal, RejectsRecordsThatMakeNoSense) {
  auto no_begin = parse_transaction("{\"record\":\"commit\"}\n", "j");
  ASSERT_FALSE(no_begin);
  EXPECT_NE(no_begin.error().message.find("first record is not 'begin'"), std::string::npos);
  auto stray_done = parse_transaction("{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n{\"record\":\"done\",\"seq\":4}\n", "j");
  ASSERT_FALSE(stray_done);
  EXPECT_NE(stray_done.error().message.find("never recorded"), std::string::npos);
  auto bad_prior = parse_transaction(
      "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n"
      "{\"record\":\"step\",\"seq\":1,\"domain\":\"file\",\"target\":\"/x\",\"prior\":{\"kind\":\"file\",\"bytes_b64\":\"*\"}}\n",
      "j");
  ASSERT_FALSE(bad_prior);
  EXPECT_NE(bad_prior.error().message.find("unreadable prior state"), std::string::npos);
}

TEST(Journal, ACorruptFileFailsTheWholeLoadWithItsName) {
  TempTree tree;
  tree.write("/var/lib/tune/journal/000001.jsonl", "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n[1,2]\n");
  LocalSystem system(tree.root());
  auto all = Journal(system, kDir).load_all();
  ASSERT_FALSE(all);
  EXPECT_NE(all.error().message.find("000001.jsonl:2"), std::string::npos);
}

TEST(Journal, AFileWhoseIdDisagreesWithItsNameIsCorrupt) {
  TempTree tree;
  tree.write("/var/lib/tune/journal/000002.jsonl", "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n");
  LocalSystem system(tree.root());
  auto all = Journal(system, kDir).load_all();
  ASSERT_FALSE(all);
  EXPECT_NE(all.error().message.find("names transaction 1"), std::string::npos);
}

TEST(Journal, AFileKilledDuringItsFirstRecordIsSkipped) {
  TempTree tree;
  tree.write("/var/lib/tune/journal/000001.jsonl", "{\"record\":\"beg");
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  auto all = journal.load_all();
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
  EXPECT_EQ(journal.begin(TransactionKind::Apply, "a", "", 0)->id(), 2);
}

TEST(Journal, ACommittedRollbackTakesItsTargetOutOfEffect) {
  TempTree tree;
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  ASSERT_TRUE(journal.begin(TransactionKind::Apply, "a", "", 0)->commit());
  auto second = journal.begin(TransactionKind::Apply, "b", "", 0);
  ASSERT_TRUE(second->commit());
  auto unfinished_rollback = journal.begin(TransactionKind::Rollback, "b", "", 2);
  ASSERT_TRUE(unfinished_rollback);

  auto all = journal.load_all();
  ASSERT_TRUE(all);
  EXPECT_EQ(active_transactions(*all).size(), 2u);  // an unfinished rollback undoes nothing

  ASSERT_TRUE(journal.begin(TransactionKind::Rollback, "b", "", 2)->commit());
  all = journal.load_all();
  auto active = active_transactions(*all);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->id, 1);
  EXPECT_EQ((*all)[1].rolled_back_by, 4);
}

TEST(Journal, AnUndoneTransactionIsNotInEffect) {
  TempTree tree;
  LocalSystem system(tree.root());
  Journal journal(system, kDir);
  ASSERT_TRUE(journal.begin(TransactionKind::Apply, "a", "", 0)->undone("sysctl x: Invalid argument"));
  auto all = journal.load_all();
  EXPECT_EQ((*all)[0].state, TransactionState::Undone);
  EXPECT_EQ((*all)[0].failure, "sysctl x: Invalid argument");
  EXPECT_TRUE(active_transactions(*all).empty());
}

// A forged or damaged journal is refused with its file and line, whatever the
// type of the field that is wrong: never an exception out of the JSON reader.
TEST(Journal, AFieldOfTheWrongTypeIsDamageNotACrash) {
  const char* begin = "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n";
  for (const std::string& record : std::vector<std::string>{
           "{\"record\":\"begin\",\"id\":\"1\",\"kind\":\"apply\"}\n",
           "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\",\"profile\":7}\n",
           "{\"record\":\"begin\",\"id\":1e30,\"kind\":\"apply\"}\n",
           "{\"record\":\"begin\",\"id\":123456789,\"kind\":\"apply\"}\n",
           "{\"record\":\"begin\",\"id\":1,\"kind\":\"rollback\",\"rolls_back\":\"x\"}\n",
           std::string(begin) + "{\"record\":\"step\",\"seq\":1.5,\"domain\":\"d\",\"target\":\"t\"}\n",
           std::string(begin) + "{\"record\":\"step\",\"seq\":1,\"domain\":[],\"target\":\"t\"}\n",
           std::string(begin) + "{\"record\":\"step\",\"seq\":1,\"domain\":\"d\",\"target\":\"t\",\"prior\":"
                                "{\"kind\":\"file\",\"bytes_b64\":\"\",\"mode\":-1,\"uid\":0,\"gid\":0}}\n",
           std::string(begin) + "{\"record\":\"step\",\"seq\":1,\"domain\":\"d\",\"target\":\"t\",\"desired\":5}\n",
           std::string(begin) + "{\"record\":\"done\",\"seq\":\"1\"}\n",
           std::string(begin) + "{\"record\":\"commit\",\"at\":[]}\n",
           std::string(begin) + "{\"record\":\"step\",\"seq\":1,\"domain\":\"d\",\"target\":\"t\\u001b[2J\"}\n",
       }) {
    auto txn = parse_transaction(record, "/j/000001.jsonl");
    ASSERT_FALSE(txn) << record;
    EXPECT_EQ(txn.error().message.rfind("corrupt journal /j/000001.jsonl:", 0), 0u) << txn.error().message;
  }
}

TEST(Journal, OnlyItsOwnFileNamesAreTransactions) {
  TempTree tree;
  tree.write("/var/lib/tune/journal/000001.jsonl", "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n", 0600);
  for (const char* name : {"+00001.jsonl", "1.jsonl", "0000001.jsonl", "000000.jsonl", "123456789.jsonl", "00000a.jsonl"}) {
    tree.write(std::string("/var/lib/tune/journal/") + name, "garbage\n", 0600);
  }
  LocalSystem system(tree.root());
  auto all = Journal(system, "/var/lib/tune/journal").load_all();
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), 1u);
}

// The journal decides what root's rollback writes: a journal others can write,
// or one that is a link, is not trusted.
TEST(Journal, AJournalOthersCanWriteOrALinkedOneIsRefused) {
  TempTree tree;
  tree.write("/var/lib/tune/journal/000001.jsonl", "{\"record\":\"begin\",\"id\":1,\"kind\":\"apply\"}\n", 0666);
  LocalSystem system(tree.root());
  auto all = Journal(system, "/var/lib/tune/journal").load_all();
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().message, "/var/lib/tune/journal/000001.jsonl is writable by others (mode 666); tune keeps its "
                                 "state where only its owner writes");
  TempTree linked;
  linked.mkdir("/elsewhere");
  linked.mkdir("/var/lib/tune");
  ASSERT_EQ(::symlink("/elsewhere", linked.real("/var/lib/tune/journal").c_str()), 0);
  LocalSystem linked_system(linked.root());
  auto from_link = Journal(linked_system, "/var/lib/tune/journal").load_all();
  ASSERT_FALSE(from_link);
  EXPECT_NE(from_link.error().message.find("is a symbolic link"), std::string::npos);
}

}  // namespace
}  // namespace tune
