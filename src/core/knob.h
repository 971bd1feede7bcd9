// Knob: how the engine reads, changes and restores one domain's targets.
// One implementation per domain per platform; the engine is generic over them
// and every implementation is logic over System, so it runs in tests anywhere.
#pragma once

#include "core/change.h"
#include "util/result.h"
#include "util/system.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace tune {

// Exactly what a target was before tune touched it; the journal keeps it.
struct PriorState {
  enum class Kind { Value, File, Absent };
  Kind kind = Kind::Absent;
  std::string value;  // Value: the knob's text; File: the file's bytes
  uint32_t mode = 0;  // File only
  uint32_t uid = 0;
  uint32_t gid = 0;
  // Absent files only: the outermost directory that was not there either, so
  // rollback removes the directories the apply made for the file.
  std::string missing_dir;

  static PriorState of_value(std::string value) { return {Kind::Value, std::move(value), 0, 0, 0, {}}; }
  static PriorState absent() { return {}; }
  // The live state this prior describes, as a Change's before/after would say it.
  std::optional<std::string> as_state() const {
    return kind == Kind::Absent ? std::nullopt : std::optional<std::string>(value);
  }
};

struct Observation {
  bool supported = true;  // the target exists on this host
  bool writable = true;   // and tune could change it
  std::string note;       // why not, when either is false
  std::optional<std::string> value;  // live state; nullopt: absent
  PriorState prior;       // what restore needs to put it back
  // Set, the value is configured but not yet in effect (a kernel parameter
  // before the reboot): what is in effect now, and when the value takes over.
  std::string pending;
};

class Knob {
 public:
  virtual ~Knob() = default;
  virtual std::string domain() const = 0;
  virtual Result<Observation> observe(const System& system, const std::string& target) const = 0;
  virtual Status apply(System& system, const Change& change) const = 0;
  virtual Status restore(System& system, const std::string& target, const PriorState& prior) const = 0;
  // A derived target has no state of its own: it is what the file steps of
  // the same transaction make of it (the limits a new login session gets from
  // limits.d). The engine journals it but applies and restores nothing for
  // it, and reads it back once every other step is done.
  virtual bool derived() const { return false; }
  // A call is a target that is an action, not a state (daemon-reload, a
  // restart, update-grub): planned as Action::Run after the files it follows
  // from, never compared or verified; restore makes the call again, after
  // every other step is put back. A derived knob's calls are still made.
  virtual bool is_call(const std::string& target) const {
    (void)target;
    return false;
  }
  // Whether a live state counts as the wanted one (kernels reformat values).
  virtual bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
    return live == wanted;
  }
  // The same, for domains whose comparison depends on the target (a boost
  // flag reads "1" where the profile says true).
  virtual bool same_at(const std::string& target, const std::optional<std::string>& live,
                       const std::optional<std::string>& wanted) const {
    (void)target;
    return same(live, wanted);
  }
};

class KnobRegistry {
 public:
  void add(std::unique_ptr<Knob> knob) {
    std::string name = knob->domain();
    knobs_[name] = std::move(knob);
  }
  const Knob* find(const std::string& domain) const {
    auto it = knobs_.find(domain);
    return it == knobs_.end() ? nullptr : it->second.get();
  }

 private:
  std::map<std::string, std::unique_ptr<Knob>> knobs_;
};

}  // namespace tune
