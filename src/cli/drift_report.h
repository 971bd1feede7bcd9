// Drift and pending-reboot entries as JSON, the same for `tune verify` and
// `tune status`, so scripts read one shape.
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

inline nlohmann::json pending_json(const Drift& pending) {
  return {{"transaction", pending.transaction}, {"domain", pending.domain}, {"target", pending.target}, {"note", pending.note}};
}

}  // namespace tune::cli
