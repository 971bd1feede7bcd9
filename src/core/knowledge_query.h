// Looking a setting up the way people write it: "vm.swappiness",
// "sysctl:vm.swappiness", "/proc/sys/vm/swappiness", "block:scheduler",
// "nofile.soft", "OLLAMA_NUM_PARALLEL". What `tune explain` asks.
#pragma once

#include "core/knowledge.h"

#include <optional>
#include <string>
#include <vector>

namespace tune {

struct KnowledgeQuery {
  std::vector<const KnowledgeEntry*> entries;  // every domain's entry for the key, in domain order
  std::optional<std::string> suggestion;       // when nothing matched: the closest key, as it can be asked
};

// DOMAIN:KEY asks one domain; an absolute path asks the entries' /proc and
// /sys files (a sysctl key's file is /proc/sys/ + the key with '/'); a bare
// key asks every domain, also in the "vm/swappiness" form and with a limit's
// ".soft"/".hard" taken off.
KnowledgeQuery query_knowledge(const Knowledge& knowledge, const std::string& query);

// The file a sysctl key lives in, or nothing for a pattern or another domain.
std::optional<std::string> knowledge_entry_file(const KnowledgeEntry& entry);

}  // namespace tune
