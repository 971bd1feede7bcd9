#include "core/knowledge_query.h"

#include "util/text.h"

#include <algorithm>

namespace tune {
namespace {

std::vector<std::string> domains_of(const Knowledge& knowledge) {
  std::vector<std::string> domains;
  for (const auto& entry : knowledge.entries()) {
    if (std::find(domains.begin(), domains.end(), entry.domain) == domains.end()) domains.push_back(entry.domain);
  }
  return domains;
}

void add_unique(std::vector<const KnowledgeEntry*>& entries, const KnowledgeEntry* entry) {
  if (entry && std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(entry);
}

// The key a profile writes for a limit names the soft or hard half; the
// knowledge base describes the limit once.
std::string without_limit_half(const std::string& key) {
  if (ends_with(key, ".soft") || ends_with(key, ".hard")) return key.substr(0, key.size() - 5);
  return key;
}

void by_path(const Knowledge& knowledge, const std::string& path, std::vector<const KnowledgeEntry*>& entries) {
  add_unique(entries, knowledge.find_by_path(path));
  const std::string sysctl_root = "/proc/sys/";
  if (starts_with(path, sysctl_root) && path.size() > sysctl_root.size()) {
    std::string key = path.substr(sysctl_root.size());
    std::replace(key.begin(), key.end(), '/', '.');
    add_unique(entries, knowledge.find("sysctl", key));
  }
}

void by_key(const Knowledge& knowledge, const std::vector<std::string>& domains, const std::string& key,
            std::vector<const KnowledgeEntry*>& entries) {
  for (const auto& domain : domains) {
    add_unique(entries, knowledge.find(domain, key));
    if (domain == "limits") add_unique(entries, knowledge.find(domain, without_limit_half(key)));
  }
  // sysctl(8) takes "vm/swappiness" as well as "vm.swappiness".
  if (entries.empty() && key.find('/') != std::string::npos && key.front() != '/') {
    std::string dotted = key;
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    add_unique(entries, knowledge.find("sysctl", dotted));
  }
}

}  // namespace

std::optional<std::string> knowledge_entry_file(const KnowledgeEntry& entry) {
  if (entry.domain == "sysctl" && entry.key.find('*') == std::string::npos &&
      (entry.os.empty() || std::find(entry.os.begin(), entry.os.end(), "linux") != entry.os.end())) {
    std::string path = "/proc/sys/" + entry.key;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    return path;
  }
  if (entry.paths.size() == 1 && entry.paths.front().find('*') == std::string::npos) return entry.paths.front();
  return std::nullopt;
}

KnowledgeQuery query_knowledge(const Knowledge& knowledge, const std::string& raw) {
  KnowledgeQuery result;
  const std::string query = trim(raw);
  if (query.empty()) return result;
  const std::vector<std::string> domains = domains_of(knowledge);

  if (query.front() == '/') {
    by_path(knowledge, query, result.entries);
  } else if (auto colon = query.find(':'); colon != std::string::npos &&
                                           std::find(domains.begin(), domains.end(), query.substr(0, colon)) != domains.end()) {
    by_key(knowledge, {query.substr(0, colon)}, query.substr(colon + 1), result.entries);
  } else {
    by_key(knowledge, domains, query, result.entries);
  }
  if (!result.entries.empty()) return result;

  // Nothing: the closest literal key of any domain, also ignoring case
  // (environment variables are upper case, people type them lower).
  std::vector<std::string> candidates;
  for (const auto& domain : domains) {
    for (auto& key : knowledge.keys(domain)) candidates.push_back(std::move(key));
  }
  std::string key = query;
  if (auto colon = key.find(':'); colon != std::string::npos) key = key.substr(colon + 1);
  result.suggestion = closest_match(key, candidates);
  if (!result.suggestion) {
    std::string upper = key;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (upper != key) result.suggestion = closest_match(upper, candidates);
  }
  return result;
}

}  // namespace tune
