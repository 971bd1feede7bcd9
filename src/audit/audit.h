// The audit: every setting in pasted advice judged against the knowledge
// base (and, when given, the host): valid here, mapped to its modern form,
// obsolete, nonexistent, risky (and why), or out of range.
#pragma once

#include "audit/advice.h"
#include "core/knowledge.h"
#include "util/system.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

namespace tune::audit {

struct Finding {
  AdviceItem item;                       // domain, key and scope filled in from the knowledge base
  Verdict verdict = Verdict::Unknown;
  std::string message;                   // why, in tune's words
  std::string modern;                    // the form tune writes it in ("block nvme scheduler = none"), if any
  std::string host_note;                 // what the host said ("absent on this host", "live value 4096")
  const KnowledgeEntry* entry = nullptr;
};

// Judge one item. `host` may be null: then only the knowledge base speaks.
Finding judge(const AdviceItem& item, const System* host);

// Extract and judge every setting of a text.
std::vector<Finding> audit_text(const std::string& text, const std::string& source, const System* host);

// "nvme" for nvme0n1, "virtual" for vda and xvda, "" when a name does not
// tell (sda may spin or not).
std::string device_class(const std::string& device);

// Count per verdict, for the summary line.
std::map<Verdict, int> count_verdicts(const std::vector<Finding>& findings);

std::string render_text(const std::vector<Finding>& findings);
nlohmann::json render_json(const std::vector<Finding>& findings);

}  // namespace tune::audit
