// Change: one setting tune would move, with its address, action, the state
// before and after, how it persists and who asked for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tune {

// '=' already as wanted, '+' created, '~' modified, '-' removed, '>' a call
// tune makes once the files before it are written (daemon-reload, restart,
// update-grub); rollback makes it again once those files are put back.
enum class Action { None, Create, Modify, Remove, Run };

char action_symbol(Action action);
const char* action_name(Action action);
std::optional<Action> action_from_name(const std::string& name);

// How a change survives a reboot.
enum class Persistence { Runtime, File, Boot };

const char* persistence_name(Persistence persistence);
std::optional<Persistence> persistence_from_name(const std::string& name);

struct Change {
  std::string domain;  // "sysctl", "file", ...
  std::string target;  // key, path or unit the domain understands
  Action action = Action::None;
  std::optional<std::string> before;  // live state when planned; nullopt: absent
  std::optional<std::string> after;   // wanted state; nullopt: remove
  Persistence persistence = Persistence::Runtime;
  bool needs_reboot = false;
  bool reversible = true;
  uint32_t mode = 0;   // files only: permission bits to write with
  std::string reason;  // the profile line that asked: "name (file:line:col)"
  std::string note;    // what a reviewer should know about how it is done ("deadline is mq-deadline here")

  // "sysctl:net.core.somaxconn": unique within a plan and across the journal.
  std::string address() const { return domain + ":" + target; }
};

// A setting the profile asked for that this host cannot take; reported, not applied.
struct Skip {
  std::string domain;
  std::string target;
  std::string wanted;
  std::string reason;  // "unsupported here: no such key on this kernel"
  std::string origin;  // the profile line
};

}  // namespace tune
