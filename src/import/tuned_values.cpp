#include "import/tuned_values.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace tune::import {
namespace {

constexpr int kMaxDepth = 32;

// tune's literal "${" is "$${".
std::string escape_for_tune(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) out += "$";
    out += text[i];
  }
  return out;
}

// tune's variable names are lowercase words.
bool tune_variable_name(const std::string& name) {
  return !name.empty() && name != "facts" && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Where the `}` that closes the `${` at `open` is.
size_t closing_brace(const std::string& text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) {
      ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string::npos;
}

// A function's name and arguments: split at each ':' outside nested ${...}
// and not escaped as "\:" (TuneD's rule).
std::vector<std::string> function_parts(const std::string& body) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body.compare(i, 2, "${") == 0) ++depth;
    if (body[i] == '}' && depth > 0) --depth;
    if (body[i] == ':' && depth == 0 && (i == 0 || body[i - 1] != '\\')) {
      parts.emplace_back();
      continue;
    }
    parts.back() += body[i];
  }
  return parts;
}

bool has_space(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

}  // namespace

const std::set<std::string>& tune_plan_functions() {
  static const std::set<std::string> kFunctions = {
      "cpulist_unpack", "cpulist_pack",        "cpulist_invert",         "cpulist_online", "cpulist_present",
      "cpulist2hex",    "cpulist2hex_invert",  "hex2cpulist",            "calc_isolated_cores",
      "check_net_queue_count", "regex_search_ternary", "assertion", "assertion_non_equal", "strip", "virt_check",
      "cpulist2devs", "cpuinfo_check", "kb2s", "s2kb"};
  return kFunctions;
}

TunedValues::TunedValues(const std::vector<TunedOption>& variables, std::string profile_dir)
    : profile_dir_(std::move(profile_dir)) {
  for (const auto& variable : variables) {
    raw_[variable.key] = variable.value;
    order_.push_back(variable.key);
  }
}

Result<std::string> TunedValues::to_tune(const std::string& text) {
  auto piece = evaluate(text, 0);
  if (!piece) return piece.error();
  return piece->tune;
}

Result<std::optional<std::string>> TunedValues::literal(const std::string& text) {
  auto piece = evaluate(text, 0);
  if (!piece) return piece.error();
  if (!piece->is_static) return std::optional<std::string>{};
  return std::optional<std::string>{piece->literal};
}

std::vector<std::pair<std::string, std::string>> TunedValues::variables_for(const std::vector<std::string>& values) const {
  std::vector<std::string> names;
  std::vector<std::string> pending = values;
  while (!pending.empty()) {
    const std::string text = pending.back();
    pending.pop_back();
    for (size_t at = text.find("${"); at != std::string::npos; at = text.find("${", at + 2)) {
      if (at > 0 && text[at - 1] == '$') continue;  // $${: literal
      size_t end = at + 2;
      while (end < text.size() && text[end] != '}' && text[end] != ':' && text[end] != '$') ++end;
      if (end >= text.size() || text[end] != '}') continue;
      const std::string name = text.substr(at + 2, end - at - 2);
      auto known = memo_.find(name);
      if (known == memo_.end() || std::find(names.begin(), names.end(), name) != names.end()) continue;
      names.push_back(name);
      pending.push_back(known->second.tune);
    }
  }
  // In TuneD's order of definition.
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& name : order_) {
    if (std::find(names.begin(), names.end(), name) != names.end()) out.emplace_back(name, memo_.at(name).tune);
  }
  return out;
}

Result<TunedValues::Piece> TunedValues::evaluate(const std::string& text, int depth) {
  if (depth > kMaxDepth) return make_error("variables and functions nest more than {} deep", kMaxDepth);
  Piece out;
  auto append = [&](const Piece& piece) {
    out.tune += piece.tune;
    out.literal += piece.literal;
    out.is_static = out.is_static && piece.is_static;
    out.computed = out.computed || piece.computed;
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\\' && text.compare(i + 1, 2, "${") == 0) {  // TuneD's escape: a literal ${
      append({"$${", "${", true, false});
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      append({std::string(1, text[i]), std::string(1, text[i]), true, false});
      ++i;
      continue;
    }
    size_t close = closing_brace(text, i);
    if (close == std::string::npos) return make_error("'${{' without its '}}' in '{}'", text);
    const std::string body = text.substr(i + 2, close - i - 2);
    Result<Piece> piece = Piece{};
    if (starts_with(body, "f:")) {
      piece = function(body.substr(2), depth + 1);
    } else if (starts_with(body, "i:")) {
      if (body != "i:PROFILE_DIR") return make_error("${{{}}} is TuneD's internal value, which tune does not have", body);
      piece = Piece{escape_for_tune(profile_dir_), profile_dir_, true, false};
    } else {
      piece = variable(body, depth + 1);
    }
    if (!piece) return piece.error();
    append(*piece);
    i = close + 1;
  }
  return out;
}

Result<TunedValues::Piece> TunedValues::variable(const std::string& name, int depth) {
  auto raw = raw_.find(name);
  if (raw == raw_.end()) {
    if (!tune_variable_name(name)) return make_error("${{{}}} is no variable the profile or its variables files define", name);
    raw = raw_.emplace(name, "").first;
    order_.push_back(name);
    undefined_.push_back(name);
  }
  if (!memo_.count(name)) {
    static thread_local std::vector<std::string> stack;
    if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
      return make_error("variables refer to each other in a cycle: {} -> {}", join(stack, " -> "), name);
    }
    stack.push_back(name);
    auto value = evaluate(raw->second, depth);
    stack.pop_back();
    if (!value) return value.error();
    memo_[name] = *value;
  }
  const Piece& value = memo_.at(name);
  // Referred to by name where the host decides it, or where it is the
  // user's to change (isolated_cores=2-5); written out where a function
  // here decided it or it splits into words.
  bool reference = tune_variable_name(name) && (!value.is_static || (!value.computed && !has_space(value.literal)));
  if (!reference) return value.is_static ? Piece{escape_for_tune(value.literal), value.literal, true, true} : value;
  return Piece{"${" + name + "}", value.literal, value.is_static, value.computed};
}

Result<TunedValues::Piece> TunedValues::function(const std::string& body, int depth) {
  auto parts = function_parts(body);
  const std::string name = parts.front();
  if (name == "exec") {
    return make_error("${{f:exec:...}} runs a program ({}) when TuneD loads the profile; tune runs no programs while planning",
                      join(std::vector<std::string>(parts.begin() + 1, parts.end()), " "));
  }
  std::vector<Piece> args;
  bool all_static = true;
  for (size_t i = 1; i < parts.size(); ++i) {
    auto arg = evaluate(parts[i], depth);
    if (!arg) return arg.error();
    for (std::string* text : {&arg->literal}) {
      for (size_t at = text->find("\\:"); at != std::string::npos; at = text->find("\\:", at)) text->erase(at, 1);
    }
    all_static = all_static && arg->is_static;
    args.push_back(*arg);
  }
  // Fixed text in, fixed text out: decided now, as TuneD would.
  if (all_static && name == "regex_search_ternary" && args.size() == 4) {
    try {
      std::regex pattern(args[1].literal, std::regex::ECMAScript);
      const std::string& chosen = std::regex_search(args[0].literal, pattern) ? args[2].literal : args[3].literal;
      return Piece{escape_for_tune(chosen), chosen, true, true};
    } catch (const std::regex_error&) {
      // left to tune's own evaluation, which reports the pattern
    }
  }
  if (all_static && name == "strip") {
    std::string joined;
    for (const auto& arg : args) joined += arg.literal;
    joined = trim(joined);
    return Piece{escape_for_tune(joined), joined, true, true};
  }
  if (all_static && name == "check_net_queue_count" && args.size() == 1 && !args[0].literal.empty() &&
      std::all_of(args[0].literal.begin(), args[0].literal.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Piece{args[0].literal, args[0].literal, true, true};
  }
  if (!tune_plan_functions().count(name)) {
    return make_error("${{f:{}:...}} is a TuneD function tune's plan-time functions do not include", name);
  }
  std::vector<std::string> tune_args;
  for (const auto& arg : args) tune_args.push_back(arg.tune);
  std::string call = "${f:" + name;
  for (const auto& arg : tune_args) call += ":" + arg;
  return Piece{call + "}", "", false, true};
}

}  // namespace tune::import
