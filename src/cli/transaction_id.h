// A transaction id as a user types it (`tune rollback 3`, `tune history show 3`).
#pragma once

#include "util/result.h"

#include <stdexcept>
#include <string>

namespace tune::cli {

inline Result<int> parse_transaction_id(const std::string& text) {
  try {
    size_t used = 0;
    const int id = std::stoi(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  return make_error("'{}' is not a transaction id (see tune history)", text);
}

}  // namespace tune::cli
