#include "core/change.h"

namespace tune {

char action_symbol(Action action) {
  switch (action) {
    case Action::None: return '=';
    case Action::Create: return '+';
    case Action::Modify: return '~';
    case Action::Remove: return '-';
    case Action::Run: return '>';
  }
  return '?';
}

const char* action_name(Action action) {
  switch (action) {
    case Action::None: return "none";
    case Action::Create: return "create";
    case Action::Modify: return "modify";
    case Action::Remove: return "remove";
    case Action::Run: return "run";
  }
  return "none";
}

std::optional<Action> action_from_name(const std::string& name) {
  for (Action action : {Action::None, Action::Create, Action::Modify, Action::Remove, Action::Run}) {
    if (name == action_name(action)) return action;
  }
  return std::nullopt;
}

const char* persistence_name(Persistence persistence) {
  switch (persistence) {
    case Persistence::Runtime: return "runtime";
    case Persistence::File: return "file";
    case Persistence::Boot: return "boot";
  }
  return "runtime";
}

std::optional<Persistence> persistence_from_name(const std::string& name) {
  for (Persistence p : {Persistence::Runtime, Persistence::File, Persistence::Boot}) {
    if (name == persistence_name(p)) return p;
  }
  return std::nullopt;
}

}  // namespace tune
