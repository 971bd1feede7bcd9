// How advice applies its settings. A value can be right and the way it is
// written still fail (a redirect to many files), repeat itself (an append
// run twice), vanish at reboot (a runtime write nothing persists), or reach
// nothing (a drop-in for a unit that only starts other units). Each finding
// says what goes wrong and what tune writes instead.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // std::regex under GCC 12 with sanitizers (see extract.cpp)
#endif
#include "audit/audit.h"

#include "audit/document.h"
#include "audit/shell_words.h"
#include "core/knowledge.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

namespace tune::audit {
namespace {

// nofile -> NOFILE, for the unit directive a ulimit flag corresponds to.
std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

class Mechanics {
 public:
  Mechanics(const std::string& text, const std::string& source, std::vector<Finding>& findings)
      : source_(source), lines_(read_document(text, source)), findings_(findings) {
    for (size_t i = 0; i < findings_.size(); ++i) {
      if (findings_[i].kind == FindingKind::Setting && findings_[i].item.source == source) by_line_[findings_[i].item.line].push_back(i);
    }
    for (const auto& line : lines_) full_text_ += line.text + "\n";
  }

  void run() {
    for (size_t i = 0; i < lines_.size(); ++i) {
      const DocumentLine& line = lines_[i];
      if (line.fence) continue;
      if (line.language == "shell" || line.language == "dockerfile") {
        std::string code = trim(strip_comment(line.text));
        if (starts_with(code, "RUN ")) code = code.substr(4);
        if (code.empty()) continue;
        auto words = shell_words(code);
        track_loop(words);
        check_glob_redirect(line, words);
        check_sudo_redirect(line, words);
        check_append(line, words);
        check_sysctl_load(line, words);
        check_swapon(line, words);
        check_missing_mkdir(line, words);
        check_wrapper_unit_path(line, words);
      }
      check_not_persistent(line);
      check_device_names(line);
    }
    check_numactl_affinity();
  }

 private:
  // The settings found on a line: their modern form is the fix.
  std::string modern_of(int line) const {
    auto it = by_line_.find(line);
    if (it == by_line_.end()) return "";
    std::vector<std::string> forms;
    for (size_t index : it->second) {
      if (!findings_[index].modern.empty()) forms.push_back(findings_[index].modern);
    }
    return join(forms, "; ");
  }
  const Finding* setting_on(int line) const {
    auto it = by_line_.find(line);
    return it == by_line_.end() || it->second.empty() ? nullptr : &findings_[it->second.front()];
  }

  void add(const DocumentLine& line, const std::string& rule, Verdict verdict, const std::string& message,
           std::string fix = "") {
    Finding finding;
    finding.kind = FindingKind::Mechanics;
    finding.rule = rule;
    finding.verdict = verdict;
    finding.message = message;
    finding.item.source = source_;
    finding.item.line = line.number;
    finding.item.text = line.text;
    finding.item.form = "mechanics";
    if (const Finding* setting = setting_on(line.number)) {
      finding.item.domain = setting->item.domain;
      finding.item.key = setting->item.key;
      finding.item.scope = setting->item.scope;
      finding.item.value = setting->item.value;
      finding.item.path = setting->item.path;
    }
    finding.modern = fix.empty() ? modern_of(line.number) : fix;
    added_.push_back(std::move(finding));
  }

  // `for disk in /dev/nvme0n1 /dev/sda; do`: what each loop variable stands for.
  void track_loop(const std::vector<Word>& words) {
    if (words.size() >= 4 && words[0].text == "for" && words[2].text == "in") {
      std::vector<std::string> values;
      for (size_t i = 3; i < words.size() && !words[i].op && words[i].text != "do"; ++i) values.push_back(words[i].text);
      loops_[words[1].text] = values;
    }
  }

  static std::string redirect_target(const std::vector<Word>& words, size_t* op = nullptr) {
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i].op && (words[i].text == ">" || words[i].text == ">>")) {
        if (op) *op = i;
        return words[i + 1].text;
      }
    }
    return "";
  }

  // echo performance > /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor:
  // bash expands a glob after > only when it names one file; with more it
  // stops with "ambiguous redirect" and writes nothing.
  void check_glob_redirect(const DocumentLine& line, const std::vector<Word>& words) {
    const std::string target = redirect_target(words);
    if (target.empty() || target.find_first_of("*?[") == std::string::npos) return;
    add(line, "glob-redirect", Verdict::Wrong,
        "The shell refuses a redirect to a pattern that matches more than one file (\"ambiguous redirect\"), so on "
        "any host with more than one match this writes nothing. Write each file in a loop (for f in " + target +
            "; do echo VALUE > \"$f\"; done) or pipe to tee, which takes many files.");
  }

  // sudo echo 1 > /proc/sys/...: the redirect is opened by the calling shell,
  // not by sudo, so it fails with "Permission denied" for anyone but root.
  void check_sudo_redirect(const DocumentLine& line, const std::vector<Word>& words) {
    if (words.empty() || words[0].text != "sudo") return;
    const std::string target = redirect_target(words);
    if (!starts_with(target, "/proc/") && !starts_with(target, "/sys/") && !starts_with(target, "/etc/")) return;
    add(line, "sudo-redirect", Verdict::Wrong,
        "sudo runs the command as root, but the redirect to " + target +
            " is opened by the calling shell, so a user who needs sudo gets \"Permission denied\". Use "
            "echo VALUE | sudo tee " + target + ".");
  }

  // Appending to a configuration file: each run appends again.
  void check_append(const DocumentLine& line, const std::vector<Word>& words) {
    std::string target;
    size_t op = 0;
    if (line.heredoc_line == 0) {
      target = redirect_target(words, &op);
      if (!target.empty() && words[op].text != ">>") target.clear();
      for (size_t i = 0; i + 1 < words.size() && target.empty(); ++i) {
        if (words[i].text == "tee" && (words[i + 1].text == "-a" || words[i + 1].text == "--append") && i + 2 < words.size()) {
          target = words[i + 2].text;
        }
      }
    }
    // A heredoc that appends is judged on its first line.
    if (target.empty() && line.heredoc_line == 0 && line.text.find("<<") != std::string::npos && line.number < static_cast<int>(lines_.size())) {
      const DocumentLine& next = lines_[static_cast<size_t>(line.number)];  // the body's first line
      if (next.heredoc_line == line.number && next.heredoc_append) {
        target = next.heredoc_target;
      }
    }
    if (target.empty() || !starts_with(target, "/etc/")) return;
    // One finding per file a block appends to, on its first append.
    if (!appended_.insert({line.block_start, target}).second) return;
    std::string message = "Appends to " + target +
                          " each time it runs, so running the advice twice leaves every line twice, and undoing it "
                          "means finding each copy.";
    std::string fix;
    if (target.find("sysctl") != std::string::npos) {
      message += " /etc/sysctl.conf is also only one of the files read at boot: a file in /etc/sysctl.d/ can "
                 "override it, and Debian 13 no longer reads it at all. Write one file of your own in "
                 "/etc/sysctl.d/ whole (tune writes /etc/sysctl.d/90-tune.conf).";
    } else if (target.find("limits") != std::string::npos) {
      message += " Write a file of your own in /etc/security/limits.d/ whole instead.";
    } else if (target.find("fstab") != std::string::npos) {
      message += " Check for the entry before adding it (grep -q), or let tune manage the swap file.";
    } else {
      message += " Write a drop-in file whole, or check for the line before adding it.";
    }
    add(line, "append-repeats", Verdict::Risky, message, fix);
  }

  // sysctl -p reads /etc/sysctl.conf (or the files named), not /etc/sysctl.d/:
  // a drop-in the text wrote before it is not loaded.
  void check_sysctl_load(const DocumentLine& line, const std::vector<Word>& words) {
    size_t start = words.size() > 0 && words[0].text == "sudo" ? 1 : 0;
    if (words.size() <= start || words[start].text != "sysctl") return;
    if (words.size() != start + 2 || words[start + 1].text != "-p") return;  // sysctl -p with no file
    static const std::regex kDropIn(R"(/etc/sysctl\.d/[^\s'"]+)");
    std::smatch m;
    std::string before;
    for (const auto& other : lines_) {
      if (other.number >= line.number) break;
      before += other.text + "\n";
    }
    if (!std::regex_search(before, m, kDropIn)) return;
    add(line, "sysctl-p-skips-drop-ins", Verdict::Wrong,
        "sysctl -p loads /etc/sysctl.conf only, so the settings this text writes to " + m[0].str() +
            " are not applied until the next boot. Use sysctl --system, or sysctl -p with the file.");
  }

  // swapon without an /etc/fstab entry: the swap is gone after a reboot.
  void check_swapon(const DocumentLine& line, const std::vector<Word>& words) {
    size_t start = words.size() > 0 && words[0].text == "sudo" ? 1 : 0;
    if (words.size() < start + 2 || words[start].text != "swapon") return;
    const std::string file = words.back().text;
    if (file.empty() || file[0] != '/' || starts_with(file, "/dev/")) return;
    for (const auto& other : lines_) {
      if (other.text.find(file) != std::string::npos && other.text.find("fstab") != std::string::npos) return;
      if (other.heredoc_target == "/etc/fstab" && other.text.find(file) != std::string::npos) return;
    }
    add(line, "not-persistent", Verdict::Risky,
        "Turns " + file + " on until the next boot only: the text adds no /etc/fstab line for it, so after a reboot "
            "the host runs without the swap it was sized for.",
        "swap swapfile.size = <size> (tune writes the fstab entry and takes it out on rollback)");
  }

  // A file written into a drop-in directory that does not exist until
  // someone makes it.
  void check_missing_mkdir(const DocumentLine& line, const std::vector<Word>& words) {
    std::string target = redirect_target(words);
    for (size_t i = 0; i + 1 < words.size() && target.empty(); ++i) {
      if (words[i].text == "tee") {
        size_t j = i + 1;
        while (j < words.size() && starts_with(words[j].text, "-")) ++j;
        if (j < words.size() && !words[j].op) target = words[j].text;
      }
    }
    static const std::regex kDropInDirectory(R"(^(/etc/systemd/(system|user)/[^/]+\.(service|socket|slice|timer|mount|scope)\.d|/etc/systemd/[a-z]+\.conf\.d)/[^/]+$)");
    std::smatch m;
    if (!starts_with(target, "/etc/systemd/") || !std::regex_match(target, m, kDropInDirectory)) return;
    const std::string directory = m[1];
    for (const auto& other : lines_) {
      if (other.number >= line.number) break;
      if ((other.text.find("mkdir") != std::string::npos || other.text.find("install -d") != std::string::npos) &&
          other.text.find(directory) != std::string::npos) {
        return;
      }
    }
    add(line, "missing-mkdir", Verdict::Wrong,
        directory + " does not exist until someone creates it, and nothing before this line does (mkdir -p " +
            directory + "), so the write fails with \"No such file or directory\".",
        "services <unit> <directive> = <value> (tune creates the drop-in directory and removes it on rollback)");
  }

  // A drop-in for a unit that only starts other units.
  void check_wrapper_unit_path(const DocumentLine& line, const std::vector<Word>& words) {
    static const std::regex kUnitDropIn(R"(/etc/systemd/system/([A-Za-z0-9_.@-]+\.service)\.d/)");
    std::smatch m;
    const std::string code = line.text;
    if (code.find("/etc/systemd/system/") == std::string::npos || !std::regex_search(code, m, kUnitDropIn)) return;
    if (words.empty() || (code.find("mkdir") != std::string::npos && code.find(">") == std::string::npos)) {
      // mkdir -p alone names the directory; judge the line that writes into it.
      if (code.find("<<") == std::string::npos && code.find("tee") == std::string::npos) return;
    }
    const KnowledgeEntry* wrapper = Knowledge::builtin().find("wrapper-unit", m[1]);
    if (!wrapper) return;
    std::string fix = wrapper->replacement;
    auto colon = fix.find(':');
    if (colon != std::string::npos) fix = fix.substr(0, colon) + " " + fix.substr(colon + 1) + " <directive> = <value>";
    add(line, "dropin-wrapper-unit", Verdict::Wrong, wrapper->say, fix);
  }

  // Runtime writes the text never makes permanent.
  void check_not_persistent(const DocumentLine& line) {
    auto it = by_line_.find(line.number);
    if (it == by_line_.end() || !line.heredoc_target.empty()) return;
    for (size_t index : it->second) {
      const Finding& setting = findings_[index];
      const std::string& form = setting.item.form;
      if (form == "ulimit") {
        add(line, "not-persistent", Verdict::Risky,
            "ulimit changes the limit of this shell and what it starts, nothing else: a service systemd starts, or the "
            "next login, keeps its old limit. Set it for the service (LimitNOFILE= and the like in its unit) or for "
            "logins (a file in /etc/security/limits.d/).",
            "services <unit> Limit" + upper(setting.item.key) + " = " + setting.item.value);
        return;
      }
      const bool runtime = form == "sysctl -w" || form == "echo >" || form == "echo | tee" || form == "blockdev --setra" ||
                           form == "cpupower" || form == "ethtool -K" || form == "ethtool -G" || form == "ethtool -C";
      if (!runtime || setting.verdict == Verdict::Nonexistent || setting.verdict == Verdict::Obsolete) continue;
      if (persisted(setting)) continue;
      add(line, "not-persistent", Verdict::Risky,
          "Changes the running system only: nothing in the text sets it again at boot (a file in /etc/sysctl.d/, a "
          "udev rule, a unit), so it is lost at the next reboot. tune writes the persistent form and restores the "
          "old value on rollback.");
      return;
    }
  }

  bool persisted(const Finding& setting) const {
    const AdviceItem& item = setting.item;
    if (item.domain == "sysctl") {
      // The same key in a sysctl file the text writes.
      for (const auto& finding : findings_) {
        if (finding.kind == FindingKind::Setting && finding.item.key == item.key && finding.item.line != item.line &&
            (finding.item.form == "sysctl.conf" || finding.item.form == "echo >> sysctl.conf")) {
          return true;
        }
      }
      return false;
    }
    // Huge pages and transparent huge pages also persist as kernel parameters.
    for (const auto& finding : findings_) {
      if (finding.kind != FindingKind::Setting || finding.item.domain != "boot") continue;
      if (item.key == "hugepages.count" && (finding.item.key == "hugepages" || finding.item.key == "hugepagesz")) return true;
      if (starts_with(item.key, "transparent_hugepages.enabled") && finding.item.key == "transparent_hugepage") return true;
    }
    // sysfs and device settings persist through udev rules, tmpfiles.d or a boot unit.
    return full_text_.find("rules.d") != std::string::npos || full_text_.find("tmpfiles.d") != std::string::npos ||
           full_text_.find("rc.local") != std::string::npos || full_text_.find("@reboot") != std::string::npos ||
           full_text_.find("WantedBy=") != std::string::npos;
  }

  // A device named where a class of devices is meant, and settings for
  // solid-state disks applied to a name that may be a spinning one.
  void check_device_names(const DocumentLine& line) {
    auto it = by_line_.find(line.number);
    if (it == by_line_.end()) return;
    for (size_t index : it->second) {
      const Finding& setting = findings_[index];
      if (setting.item.domain != "block" || setting.item.scope.empty()) continue;
      std::vector<std::string> devices = {setting.item.scope};
      // A loop variable stands for every word of its list.
      for (const auto& [variable, values] : loops_) {
        if (line.text.find("$" + variable) != std::string::npos || line.text.find("${" + variable) != std::string::npos ||
            line.text.find("$(basename $" + variable) != std::string::npos) {
          devices.clear();
          for (auto value : values) {
            if (starts_with(value, "/dev/")) value = value.substr(5);
            auto slash = value.find_last_of('/');
            if (slash != std::string::npos) value = value.substr(slash + 1);
            devices.push_back(value);
          }
        }
      }
      const bool solid_state_only = setting.item.key == "scheduler" &&
                                    (setting.item.value == "none" || setting.item.value == "noop" || setting.item.value == "kyber");
      for (const auto& device : devices) {
        if (device.find('*') != std::string::npos) continue;
        const std::string kind = device_class(device);
        if (kind.empty() && solid_state_only && full_text_.find("rotational") == std::string::npos) {
          add(line, "rotational-unchecked", Verdict::Risky,
              "Applies " + setting.item.key + " = " + setting.item.value + ", a setting for solid-state disks, to " + device +
                  " without checking /sys/block/" + device + "/queue/rotational: sd* names spinning disks too, where "
                  "it costs seek-heavy throughput.",
              "block ssd scheduler = none (tune matches devices by class: nvme, ssd, hdd, virtual)");
          return;
        }
      }
      if (devices.size() == 1 && !devices[0].empty() && devices[0].find('*') == std::string::npos) {
        const std::string kind = device_class(devices[0]);
        add(line, "hard-coded-device", Verdict::Risky,
            "Names one device, " + devices[0] + ": on another host that name is another disk, or none, and a second "
                "disk of the same kind is left out.",
            "block " + (kind.empty() ? std::string("<nvme|ssd|hdd|virtual>") : kind) + " " + setting.item.key + " = " +
                setting.item.value);
        return;
      }
    }
  }

  // ExecStart=numactl --cpunodebind=... beside CPUAffinity= in one unit:
  // numactl sets the process's CPU mask itself, replacing the one systemd set.
  void check_numactl_affinity() {
    std::map<int, const DocumentLine*> affinity_by_block;  // heredoc or block -> the CPUAffinity= line
    std::set<int> numactl_blocks;
    for (const auto& line : lines_) {
      const int block = line.heredoc_line ? line.heredoc_line : line.block_start;
      if (starts_with(line.text, "CPUAffinity=")) affinity_by_block[block] = &line;
      if (starts_with(line.text, "ExecStart=") && line.text.find("numactl") != std::string::npos &&
          (line.text.find("cpunodebind") != std::string::npos || line.text.find("physcpubind") != std::string::npos ||
           line.text.find("-N") != std::string::npos || line.text.find("-C") != std::string::npos)) {
        numactl_blocks.insert(block);
      }
    }
    for (const auto& [block, line] : affinity_by_block) {
      if (!numactl_blocks.count(block)) continue;
      add(*line, "numactl-overrides-cpuaffinity", Verdict::NoEffect,
          "ExecStart= runs numactl, which sets the process's CPUs itself and replaces the mask CPUAffinity= gave it, "
          "so this line has no effect. Keep one: CPUAffinity= with NUMAPolicy=/NUMAMask= in the unit, or numactl alone.",
          "services <unit> CPUAffinity = <cpus>; services <unit> NUMAPolicy = bind; services <unit> NUMAMask = <node>");
    }
  }

 public:
  std::vector<Finding> added_;

 private:
  std::string source_;
  std::vector<DocumentLine> lines_;
  std::vector<Finding>& findings_;
  std::map<int, std::vector<size_t>> by_line_;
  std::map<std::string, std::vector<std::string>> loops_;
  std::string full_text_;
  std::set<std::pair<int, std::string>> appended_;  // (block, file) already reported
};

}  // namespace

void add_mechanics_findings(const std::string& text, const std::string& source, std::vector<Finding>& findings) {
  Mechanics mechanics(text, source, findings);
  mechanics.run();
  for (auto& finding : mechanics.added_) findings.push_back(std::move(finding));
}

}  // namespace tune::audit
