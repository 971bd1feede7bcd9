// The converter behind `tune import tuned`: one instance per profile, the
// plugin mappings split by theme over tuned_import.cpp (the core, the kernel
// and CPU plugins TuneD has had longest) and tuned_plugins.cpp (devices,
// IRQs, processes, modules, scripts).
#pragma once

#include "import/tuned_import.h"
#include "import/tuned_values.h"

#include <optional>

namespace tune::import {

class TunedConverter {
 public:
  TunedConverter(const TunedProfile& profile, const std::string& name);
  TunedConversion run();

  // "[cpu] governor=performance (throughput-performance/tuned.conf:12)"
  static std::string where(const TunedSection& section, const TunedOption& option);
  // ">4096" asks for at least 4096, "<x" at most, "a|b" one of them.
  static Want want_of(const std::string& value);

 private:
  // Outcomes of the option being converted; it counts as not converted if
  // any part was left out, else as converted if anything was written, else
  // as refused.
  struct Outcome {
    int added = 0, refused = 0, left_out = 0;
  };
  void begin() { outcome_ = {}; }
  void end();

  void add(const std::string& what, const std::string& domain, const std::string& scope, const std::string& key,
           const Want& want, const std::vector<Condition>& when, const std::string& note = "");
  // Checked against the knowledge base where it describes the key and the
  // value needs nothing from the host.
  void add_checked(const std::string& what, const std::string& domain, const std::string& scope, const std::string& key,
                   const Want& want, const std::vector<Condition>& when, const std::string& note = "");
  // A key of the agreed schema for a domain that may still be being built:
  // checked where the knowledge base describes it, written as is otherwise
  // (the profile reader checks it).
  void add_schema(const std::string& what, const std::string& domain, const std::string& scope, const std::string& key,
                  const Want& want, const std::vector<Condition>& when, const std::string& note = "");
  void refuse(const std::string& what, const std::string& why);
  void leave_out(const std::string& what, const std::string& why);
  // The option's value as tune writes it, or nullopt after leaving it out.
  std::optional<std::string> value(const std::string& what, const std::string& text);
  std::optional<std::vector<Condition>> conditions(const TunedSection& section);
  void convert_variables();
  void convert_section(const TunedSection& section);
  void empty_section(const TunedSection& section);

  // tuned_import.cpp
  void sysctl(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void vm(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void cpu(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void disk(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void bootloader(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void scheduler(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  // tuned_plugins.cpp
  void sysfs(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void net(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void irqbalance(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void systemd(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void selinux(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void power(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void modules(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);
  void script(const TunedSection&, const TunedOption&);
  void isolated_cores(const TunedSection&, const TunedOption&, const std::string& value, const std::vector<Condition>& when);

  const TunedProfile& profile_;
  TunedConversion result_;
  TunedValues values_;
  Outcome outcome_;
  std::vector<std::string> written_;  // values written, for the variables they use
  bool has_systemd_affinity_ = false;
};

}  // namespace tune::import
