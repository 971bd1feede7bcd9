// MacFixture: a fixture Mac (tests/fixtures/macos/NAME) behind the System
// door. Its run() answers the programs the macOS backend calls (sysctl,
// pmset, launchctl, ioreg, sw_vers) from an in-memory model of the Mac loaded
// from the fixture's files; writes change the model, so a later read sees
// them. Files (the plists tune writes, the journal) live in a TempTree.
// A command the model does not know fails the test: nothing is guessed.
#pragma once

#include "core/facts.h"
#include "core/plan.h"
#include "support/rooted_door.h"
#include "support/temp_tree.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace tune::testing {

class MacFixture final : public RootedDoor {
 public:
  // name: "m2-16gb" or "m3max-64gb".
  explicit MacFixture(const std::string& name, const TempTree& tree);

  Result<ProcessResult> run(const std::vector<std::string>& argv) override;
  // The model answers reads the same way (they change nothing in it).
  Result<ProcessResult> query(const std::vector<std::string>& argv) const override {
    return const_cast<MacFixture*>(this)->run(argv);
  }
  bool can_run_programs() const override { return true; }

  // The model, open to tests.
  std::map<std::string, std::string> sysctl;                       // key -> value
  std::map<std::string, std::map<std::string, std::string>> pmset;  // source -> key -> value
  std::string power_source;                                        // "AC Power" or "Battery Power"
  std::map<std::string, std::pair<std::string, std::string>> limits;  // resource -> soft, hard
  std::map<std::string, std::string> environment;                  // launchctl's
  std::map<std::string, std::string> spotlight;                    // volume -> "on" / "off"
  // Jobs loaded in launchd's system domain, by label -> the plist they came from.
  // bootstrap reads the plist from the tree and loads it under its Label.
  std::map<std::string, std::string> jobs;
  // sysctl values the kernel refuses (EINVAL), by key.
  std::map<std::string, std::set<std::string>> refuse_sysctl;
  // Every command run, as one line each, in order.
  std::vector<std::string> calls;

  // The facts detect_macos_host reads from this Mac.
  HostFacts facts();

 private:
  ProcessResult sysctl_call(const std::vector<std::string>& args);
  ProcessResult pmset_call(const std::vector<std::string>& args);
  ProcessResult launchctl_call(const std::vector<std::string>& args);
  ProcessResult mdutil_call(const std::vector<std::string>& args);

  std::string dir_;  // the fixture's directory
};

// A profile's text planned by the macOS platform on this Mac (test failures
// name a profile that does not parse or plan).
Plan plan_on_mac(MacFixture& mac, const std::string& profile_text,
                 const std::vector<std::string>* template_dirs = nullptr);
// A Modify change of a target to a value, as a plan would carry it.
Change changing(const std::string& domain, const std::string& target, const std::string& after);

}  // namespace tune::testing
