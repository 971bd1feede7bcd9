// The audit: every setting in pasted advice judged against the knowledge
// base (and, when given, the host): valid here, mapped to its modern form,
// no effect here, obsolete, nonexistent, risky (and why), or out of range;
// how the advice applies it judged too (mechanics: a redirect the shell
// refuses, an append that repeats, a change lost at reboot); and every other
// line that sets something listed as not judged, with the reason, so the
// summary never reads as if silence were approval.
#pragma once

#include "audit/advice.h"
#include "core/knowledge.h"
#include "util/system.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

namespace tune::audit {

// What a finding is about.
enum class FindingKind {
  Setting,    // one setting the advice makes, judged against the knowledge base
  Mechanics,  // how the advice applies a setting (rule names which check)
  Line,       // a line that sets something tune does not read (verdict NotJudged)
};

const char* finding_kind_name(FindingKind kind);  // "setting", "mechanics", "line"

struct Finding {
  AdviceItem item;                       // domain, key and scope filled in from the knowledge base
  FindingKind kind = FindingKind::Setting;
  std::string rule;                      // mechanics: "glob-redirect"...; line: the reason's id ("application-config")
  Verdict verdict = Verdict::NotJudged;
  std::string message;                   // why, in tune's words
  std::string modern;                    // the form tune writes it in ("block nvme scheduler = none"), if any
  std::string host_note;                 // what the host said ("absent on this host", "live value 4096")
  const KnowledgeEntry* entry = nullptr;
};

// Judge one item. `host` may be null: then only the knowledge base speaks.
Finding judge(const AdviceItem& item, const System* host);

// Extract and judge every setting of a text, add the mechanics findings and
// the lines not judged; in line order.
std::vector<Finding> audit_text(const std::string& text, const std::string& source, const System* host);

// Inference servers (Ollama Modelfile and API options, llama.cpp server
// flags, vLLM engine arguments, container CPU and memory limits): the
// settings a text gives them (extract_inference.cpp), and what only the
// whole text shows, such as more threads than the container's CPU quota
// (judge_inference.cpp).
std::vector<AdviceItem> extract_inference(const std::string& text, const std::string& source);
void judge_inference_context(std::vector<Finding>& findings);

// macOS and Windows advice that shell lines alone do not show: PowerShell
// objects and loops, Defender exclusions, `defaults write`, `mdutil`, launchd
// plists a heredoc writes (extract_desktop.cpp); verdicts that depend on the
// path, the service or a cosmetic preference (judge_desktop.cpp); and the
// lines that are steps of a setting judged elsewhere, such as `launchctl load`
// of that plist (desktop_steps.cpp, before the lines not judged are counted).
std::vector<AdviceItem> extract_desktop(const std::string& text, const std::string& source);
void judge_desktop_context(std::vector<Finding>& findings);
void add_desktop_steps(const std::string& text, const std::string& source, std::vector<Finding>& findings);

// How the advice applies its settings (mechanics.cpp): adds Mechanics
// findings for the lines of `text` (whose settings are `findings`).
void add_mechanics_findings(const std::string& text, const std::string& source, std::vector<Finding>& findings);

// Every line of `text` that sets something and has no finding yet gets a
// Line finding saying why tune does not judge it (lines.cpp).
void add_unjudged_lines(const std::string& text, const std::string& source, std::vector<Finding>& findings);

// "nvme" for nvme0n1, "virtual" for vda and xvda, "" when a name does not
// tell (sda may spin or not).
std::string device_class(const std::string& device);

// Count per verdict, for the summary line.
std::map<Verdict, int> count_verdicts(const std::vector<Finding>& findings);

// The totals a summary prints: lines that set something (a line with any
// finding), split into judged (some finding other than not-judged) and not
// judged, which add up; findings per kind and verdict; not-judged reasons.
struct Summary {
  int lines = 0;
  int judged_lines = 0;
  int not_judged_lines = 0;
  int settings = 0;   // Setting findings
  int mechanics = 0;  // Mechanics findings
  std::map<Verdict, int> verdicts;           // of Setting and Mechanics findings
  std::map<std::string, int> not_judged;     // Line findings per reason id
};
Summary summarize(const std::vector<Finding>& findings);

// What `--strict` fails on: risky, wrong, out-of-range, obsolete or
// nonexistent.
bool fails_strict(Verdict verdict);

std::string render_text(const std::vector<Finding>& findings);
nlohmann::json render_json(const std::vector<Finding>& findings);
// One finding with every field, as --format json lists it (and SARIF's
// result properties carry it).
nlohmann::json finding_json(const Finding& finding);

}  // namespace tune::audit
