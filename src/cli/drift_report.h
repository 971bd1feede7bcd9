// Drift and pending-reboot entries as JSON and as a line, the same for
// `tune verify` and `tune status`, so people and scripts read one shape.
#pragma once

#include "core/engine.h"

#include <nlohmann/json.hpp>

namespace tune::cli {

inline nlohmann::json drift_json(const Drift& drift) {
  return {{"transaction", drift.transaction},
          {"domain", drift.domain},
          {"target", drift.target},
          {"expected", drift.expected ? nlohmann::json(*drift.expected) : nlohmann::json(nullptr)},
          {"live", drift.live ? nlohmann::json(*drift.live) : nlohmann::json(nullptr)},
          {"note", drift.note}};
}

// "expected 10, live 33", or why the live value could not be read.
inline std::string drift_detail(const Drift& drift) {
  if (!drift.note.empty()) return drift.note;
  auto shown = [](const std::optional<std::string>& state) { return state ? *state : std::string("(absent)"); };
  return "expected " + shown(drift.expected) + ", live " + shown(drift.live);
}

inline nlohmann::json pending_json(const Drift& pending) {
  return {{"transaction", pending.transaction}, {"domain", pending.domain}, {"target", pending.target}, {"note", pending.note}};
}

}  // namespace tune::cli
