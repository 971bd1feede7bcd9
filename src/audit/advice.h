// Advice: tuning settings as people paste them (sysctl.conf lines, shell
// snippets with sysctl -w, echo > /proc/sys, echo | tee /sys, ulimit,
// limits.conf, systemd unit lines, exports, pmset, powercfg...), read into
// one item per setting, each with the line it came from.
#pragma once

#include <string>
#include <vector>

namespace tune::audit {

struct AdviceItem {
  std::string source;  // file name, for messages
  int line = 0;        // 1-based
  std::string text;    // the line as written, trimmed
  std::string form;    // how it was written: "sysctl.conf", "sysctl -w", "echo > /proc/sys", "limits.conf", ...
  std::string domain;  // the knowledge base domain to judge it in ("sysctl", "block", "sysfs", "limits", ...)
  std::string key;     // the key in that domain; empty when only `path` is known
  std::string path;    // the /proc or /sys file written, when there is one
  std::string scope;   // device, limits item ("*"), unit, hugepage size... where the form names one
  std::string value;   // the value as far as the text tells; may hold an unresolved $VARIABLE
  bool value_known = true;  // false when the value came from a shell variable the text does not set

  std::string where() const { return source + ":" + std::to_string(line); }
};

// Read every setting the text carries. Shell variables assigned in the text
// (HUGEPAGE_COUNT=1024, for disk in /sys/block/sd*) are followed; lines that
// carry no host setting are ignored.
std::vector<AdviceItem> extract_advice(const std::string& text, const std::string& source);

}  // namespace tune::audit
