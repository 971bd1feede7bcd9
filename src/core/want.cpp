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

// Values compare field by field: "4096 87380 6291456" is three numbers.
std::optional<std::vector<long long>> numeric_fields(const std::string& text) {
  std::vector<long long> fields;
  for (const auto& part : split_whitespace(text)) {
    auto number = parse_integer(part);
    if (!number) return std::nullopt;
    fields.push_back(*number);
  }
  if (fields.empty()) return std::nullopt;
  return fields;
}

std::string join_numbers(const std::vector<long long>& fields) {
  std::vector<std::string> parts;
  for (long long field : fields) parts.push_back(std::to_string(field));
  return join(parts, " ");
}

}  // namespace

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
        if (op == Op::AtLeast ? (*have)[i] < (*bound)[i] : (*have)[i] > (*bound)[i]) return false;
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
      if (!have || have->size() != bound->size()) return join_numbers(*bound);
      std::vector<long long> out(bound->size());
      for (size_t i = 0; i < out.size(); ++i) {
        out[i] = op == Op::AtLeast ? std::max((*have)[i], (*bound)[i]) : std::min((*have)[i], (*bound)[i]);
      }
      return join_numbers(out);
    }
  }
  return "";
}

}  // namespace tune
