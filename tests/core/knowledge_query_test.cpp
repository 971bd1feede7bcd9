#include "core/knowledge_query.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

std::vector<std::string> addresses(const KnowledgeQuery& query) {
  std::vector<std::string> out;
  for (const auto* entry : query.entries) out.push_back(entry->domain + ":" + entry->key);
  return out;
}

TEST(KnowledgeQuery, ABareSysctlKeyFindsItsEntry) {
  auto found = query_knowledge(Knowledge::builtin(), "vm.swappiness");
  EXPECT_EQ(addresses(found), std::vector<std::string>{"sysctl:vm.swappiness"});
  EXPECT_FALSE(found.suggestion);
}

TEST(KnowledgeQuery, TheSlashFormOfASysctlKeyFindsTheSameEntry) {
  EXPECT_EQ(addresses(query_knowledge(Knowledge::builtin(), "vm/swappiness")),
            std::vector<std::string>{"sysctl:vm.swappiness"});
}

TEST(KnowledgeQuery, AProcSysPathFindsTheSysctlEntry) {
  EXPECT_EQ(addresses(query_knowledge(Knowledge::builtin(), "/proc/sys/vm/swappiness")),
            std::vector<std::string>{"sysctl:vm.swappiness"});
}

TEST(KnowledgeQuery, ASysPathWithADeviceFindsTheBlockEntry) {
  EXPECT_EQ(addresses(query_knowledge(Knowledge::builtin(), "/sys/block/nvme0n1/queue/scheduler")),
            std::vector<std::string>{"block:scheduler"});
}

TEST(KnowledgeQuery, ADomainPrefixAsksOnlyThatDomain) {
  EXPECT_EQ(addresses(query_knowledge(Knowledge::builtin(), "block:scheduler")),
            std::vector<std::string>{"block:scheduler"});
  auto wrong_domain = query_knowledge(Knowledge::builtin(), "cpu:scheduler");
  EXPECT_TRUE(wrong_domain.entries.empty());
}

TEST(KnowledgeQuery, AConcreteInterfaceMatchesThePatternEntry) {
  auto found = query_knowledge(Knowledge::builtin(), "net.ipv4.conf.eth0.rp_filter");
  ASSERT_EQ(found.entries.size(), 1u);
  EXPECT_NE(found.entries.front()->key.find('*'), std::string::npos);
}

TEST(KnowledgeQuery, ALimitsHalfFindsTheLimit) {
  auto found = query_knowledge(Knowledge::builtin(), "nofile.soft");
  ASSERT_FALSE(found.entries.empty());
  EXPECT_EQ(found.entries.front()->domain, "limits");
  EXPECT_EQ(found.entries.front()->key, "nofile");
}

TEST(KnowledgeQuery, AMisspelledKeySuggestsTheClosestOne) {
  auto found = query_knowledge(Knowledge::builtin(), "vm.swapiness");
  EXPECT_TRUE(found.entries.empty());
  ASSERT_TRUE(found.suggestion);
  EXPECT_EQ(*found.suggestion, "vm.swappiness");
}

TEST(KnowledgeQuery, ALowerCaseEnvironmentVariableSuggestsTheRealName) {
  auto found = query_knowledge(Knowledge::builtin(), "ollama_num_paralel");
  EXPECT_TRUE(found.entries.empty());
  ASSERT_TRUE(found.suggestion);
  EXPECT_EQ(*found.suggestion, "OLLAMA_NUM_PARALLEL");
}

TEST(KnowledgeQuery, NothingCloseSuggestsNothing) {
  auto found = query_knowledge(Knowledge::builtin(), "zz.qq.completely.unknown");
  EXPECT_TRUE(found.entries.empty());
  EXPECT_FALSE(found.suggestion);
  EXPECT_TRUE(query_knowledge(Knowledge::builtin(), "  ").entries.empty());
}

TEST(KnowledgeQuery, ASysctlEntryLivesInItsProcSysFile) {
  const KnowledgeEntry* entry = Knowledge::builtin().find("sysctl", "net.core.somaxconn");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(knowledge_entry_file(*entry), "/proc/sys/net/core/somaxconn");
  const KnowledgeEntry* pattern = Knowledge::builtin().find("sysctl", "net.ipv4.conf.eth0.rp_filter");
  ASSERT_NE(pattern, nullptr);
  EXPECT_FALSE(knowledge_entry_file(*pattern)) << "a pattern has no one file";
}

}  // namespace
}  // namespace tune
