// Want: comparing what a profile asks with what a host has, field by field,
// for numbers of any size and for limits that may be unlimited.
#include "core/knowledge.h"
#include "core/profile.h"

#include "util/text.h"

#include <fmt/format.h>

#include <algorithm>

namespace tune {

std::string Origin::str() const {
  if (line == 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

namespace {

bool is_infinite(const std::string& field) { return field == "unlimited" || field == "infinity" || field == "-1"; }

// One field compared: <0, 0, >0; "unlimited" is larger than any number.
std::optional<int> compare_field(const std::string& a, const std::string& b) {
  if (is_infinite(a) || is_infinite(b)) {
    // "-1" means unlimited only where a limit is read back (ulimit, rlimits).
    if (is_infinite(a) && is_infinite(b)) return 0;
    if (a == "-1" || b == "-1") return compare_whole_numbers(a, b);
    return is_infinite(a) ? 1 : -1;
  }
  return compare_whole_numbers(a, b);
}

// Values compare field by field: "4096 87380 6291456" is three numbers.
std::optional<std::vector<std::string>> numeric_fields(const std::string& text) {
  std::vector<std::string> fields = split_whitespace(text);
  if (fields.empty()) return std::nullopt;
  for (const auto& field : fields) {
    if (!is_whole_number(field) && field != "unlimited" && field != "infinity") return std::nullopt;
  }
  return fields;
}

}  // namespace

const char* want_op_name(Want::Op op) {
  switch (op) {
    case Want::Op::Exact: return "value";
    case Want::Op::AtLeast: return "at_least";
    case Want::Op::AtMost: return "at_most";
    case Want::Op::OneOf: return "one_of";
  }
  return "value";
}

std::string Want::describe() const {
  switch (op) {
    case Op::Exact: return values.empty() ? "" : normalize_spaces(values[0]);
    case Op::AtLeast: return "at least " + normalize_spaces(values.at(0));
    case Op::AtMost: return "at most " + normalize_spaces(values.at(0));
    case Op::OneOf: return "one of " + join(values, ", ");
  }
  return "";
}

bool Want::satisfied_by(const std::string& live) const {
  const std::string normal = normalize_spaces(live);
  switch (op) {
    case Op::Exact: return normal == normalize_spaces(values.at(0));
    case Op::OneOf:
      return std::any_of(values.begin(), values.end(), [&](const std::string& v) { return normalize_spaces(v) == normal; });
    case Op::AtLeast:
    case Op::AtMost: {
      auto have = numeric_fields(live);
      auto bound = numeric_fields(values.at(0));
      if (!have || !bound || have->size() != bound->size()) return false;
      for (size_t i = 0; i < have->size(); ++i) {
        auto order = compare_field((*have)[i], (*bound)[i]);
        if (!order) return false;
        if (op == Op::AtLeast ? *order < 0 : *order > 0) return false;
      }
      return true;
    }
  }
  return false;
}

std::string Want::target_for(const std::string& live) const {
  switch (op) {
    case Op::Exact: return normalize_spaces(values.at(0));
    case Op::OneOf: return normalize_spaces(values.at(0));
    case Op::AtLeast:
    case Op::AtMost: {
      auto bound = numeric_fields(values.at(0));
      auto have = numeric_fields(live);
      if (!bound) return normalize_spaces(values.at(0));
      if (!have || have->size() != bound->size()) return join(*bound, " ");
      std::vector<std::string> out(bound->size());
      for (size_t i = 0; i < out.size(); ++i) {
        auto order = compare_field((*have)[i], (*bound)[i]).value_or(0);
        bool keep_live = op == Op::AtLeast ? order > 0 : order < 0;
        out[i] = keep_live ? (*have)[i] : (*bound)[i];
      }
      return join(out, " ");
    }
  }
  return "";
}

}  // namespace tune
