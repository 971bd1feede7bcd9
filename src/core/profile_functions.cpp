// TuneD's built-in functions (tuned/profiles/functions/function_*.py and the
// cpulist helpers of tuned/utils/commands.py), re-derived for plan time: what
// TuneD reads from /sys or gets by running virt-what or nproc comes from the
// host's facts here. Where TuneD logs a bad argument and substitutes nothing
// or an empty list, tune refuses the value instead, so the setting is skipped
// with the reason rather than written wrong.
#include "core/profile_functions.h"

#include "core/declare_or_return.h"
#include "util/text.h"

#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <regex>
#include <set>

namespace tune {
namespace {

constexpr size_t kMaxValue = 64 * 1024;  // as for variables: one setting's value

// Python's int(text) in decimal: surrounding whitespace and a sign allowed.
// (In cpulists a '-' never reaches it: items are split on '-' first.)
std::optional<long long> python_int(std::string_view text) {
  std::string trimmed = trim(text);
  const bool negative = !trimmed.empty() && trimmed[0] == '-';
  if (!trimmed.empty() && (trimmed[0] == '+' || negative)) trimmed.erase(0, 1);
  if (trimmed.empty() || trimmed.size() > 18) return std::nullopt;
  if (!std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return negative ? -std::stoll(trimmed) : std::stoll(trimmed);
}

Error too_high(long long cpu) {
  return make_error("CPU {} is past the highest CPU number a kernel can have ({})", cpu, kMaxCpu);
}

// Python's int(mask, 16), bits set -> CPU numbers. "0x" and whitespace allowed.
Result<std::vector<int>> hex_mask_cpus(const std::string& raw) {
  std::string mask = trim(raw);
  if (mask.size() >= 2 && mask[0] == '0' && (mask[1] == 'x' || mask[1] == 'X')) mask.erase(0, 2);
  if (mask.empty() || !std::all_of(mask.begin(), mask.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
    return make_error("'{}' is not a hexadecimal CPU mask", raw);
  }
  std::vector<int> cpus;
  const int digits = static_cast<int>(mask.size());
  for (int i = 0; i < digits; ++i) {
    const char c = mask[digits - 1 - i];
    const int nibble = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
    for (int bit = 0; bit < 4; ++bit) {
      if (!(nibble & (1 << bit))) continue;
      const long long cpu = 4LL * i + bit;
      if (cpu > kMaxCpu) return too_high(cpu);
      cpus.push_back(static_cast<int>(cpu));
    }
  }
  return cpus;
}

std::string join_numbers(const std::vector<int>& cpus, const std::string& prefix = "") {
  std::string out;
  for (int cpu : cpus) out += (out.empty() ? "" : ",") + prefix + std::to_string(cpu);
  return out;
}

std::string join_args(const std::vector<std::string>& args, const std::string& separator) { return join(args, separator); }

// The host's cpulist fact, for the functions that read /sys in TuneD.
Result<std::vector<int>> fact_cpus(const FactMap& facts, const std::string& fact) {
  auto it = facts.find(fact);
  if (it == facts.end() || it->second.empty()) return make_error("needs the fact {}, which is unknown on this host", fact);
  auto cpus = parse_kernel_cpulist(it->second);
  if (!cpus) return make_error("the fact {} is not a cpulist ('{}')", fact, it->second);
  return *cpus;
}

// Python's str.isdigit / isdecimal over ASCII: non-empty, digits only.
bool all_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<bool> search(const std::string& pattern, const std::string& text, bool multiline) {
  auto found = regex_found(pattern, text, multiline);
  if (!found) return make_error("'{}': {}", pattern, found.error().message);
  return found;
}

// Runs `work` on a thread with a 128 MiB stack (reserved, used only as deep
// as the recursion goes) and waits for it.
template <class Work>
bool run_with_large_stack(Work& work) {
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) return false;
  pthread_attr_setstacksize(&attributes, 128u << 20);
  pthread_t thread;
  auto trampoline = [](void* argument) -> void* {
    (*static_cast<Work*>(argument))();
    return nullptr;
  };
  const bool started = pthread_create(&thread, &attributes, trampoline, &work) == 0;
  pthread_attr_destroy(&attributes);
  if (started) pthread_join(thread, nullptr);
  return started;
}

std::string python_strip(const std::string& text) {
  const char* const kSpace = " \t\n\r\f\v";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

using Args = std::vector<std::string>;
using Body = std::function<Result<std::string>(const Args&, const FactMap&)>;

struct Function {
  int min_args;  // TuneD's nargs_min (None is 0)
  int max_args;  // TuneD's nargs_max; -1: any number
  Body body;
};

Result<std::string> assertion_of(const Args& args, bool want_equal) {
  if ((args[1] == args[2]) != want_equal) {
    return make_error("assertion '{}' failed: '{}' {} '{}'", args[0], args[1], want_equal ? "!=" : "==", args[2]);
  }
  return std::string();  // TuneD substitutes nothing; the assertion was the point
}

Result<std::string> isolated_cores(const Args& args, const FactMap& facts) {
  long long reserve = 1;
  if (!args.empty()) {
    if (!all_digits(args[0]) || args[0].size() > 9) {
      return make_error("calc_isolated_cores takes a whole number of CPUs to reserve per package, not '{}'", args[0]);
    }
    reserve = std::stoll(args[0]);
  }
  std::vector<int> isolated;
  bool any = false;
  for (const auto& [name, cpulist] : facts) {
    if (!starts_with(name, "cpu.package.") || !ends_with(name, ".cpus")) continue;
    auto cpus = parse_kernel_cpulist(cpulist);
    if (!cpus) return make_error("the fact {} is not a cpulist ('{}')", name, cpulist);
    any = true;
    for (size_t i = static_cast<size_t>(std::min<long long>(reserve, static_cast<long long>(cpus->size()))); i < cpus->size(); ++i) {
      isolated.push_back((*cpus)[i]);
    }
  }
  if (!any) return make_error("needs the CPUs of each package (cpu.package.N.cpus), which are unknown on this host");
  std::sort(isolated.begin(), isolated.end());
  return join_numbers(isolated);
}

Result<std::vector<int>> invert(const std::string& list, const FactMap& facts) {
  TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(list));
  TUNE_DECLARE_OR_RETURN(std::vector<int> online, fact_cpus(facts, "cpu.online"));
  std::vector<int> out;
  std::set_difference(online.begin(), online.end(), cpus.begin(), cpus.end(), std::back_inserter(out));
  return out;
}

Result<std::string> to_hex(const std::string& list) {
  TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(list));
  // "%x" of the mask, zero-filled to whole 32-bit words, words joined by
  // commas: the form of the kernel's cpumask files.
  const int highest = cpus.empty() ? 0 : cpus.back();
  std::vector<int> nibbles(static_cast<size_t>(highest / 4 + 1), 0);
  for (int cpu : cpus) nibbles[static_cast<size_t>(cpu / 4)] |= 1 << (cpu % 4);
  while (nibbles.size() > 1 && nibbles.back() == 0) nibbles.pop_back();
  while (nibbles.size() % 8 != 0) nibbles.push_back(0);
  std::string out;
  for (size_t i = nibbles.size(); i-- > 0;) {
    out += "0123456789abcdef"[nibbles[i]];
    if (i % 8 == 0 && i != 0) out += ',';
  }
  return out;
}

const std::map<std::string, Function>& functions() {
  static const std::map<std::string, Function> kFunctions = {
      {"assertion", {3, 3, [](const Args& a, const FactMap&) { return assertion_of(a, true); }}},
      {"assertion_non_equal", {3, 3, [](const Args& a, const FactMap&) { return assertion_of(a, false); }}},
      {"calc_isolated_cores", {0, 1, isolated_cores}},
      {"check_net_queue_count", {1, 1, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         if (all_digits(a[0])) return a[0];
         // TuneD runs nproc: the CPUs this process may use.
         auto it = facts.find("cpu.allowed");
         if (it == facts.end() || it->second.empty()) return make_error("needs the fact cpu.allowed, which is unknown on this host");
         return it->second;
       }}},
      {"cpuinfo_check", {2, -1, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         auto it = facts.find("cpuinfo");
         if (it == facts.end() || it->second.empty()) return make_error("needs the fact cpuinfo, which is unknown on this host");
         for (size_t i = 0; i + 1 < a.size(); i += 2) {
           TUNE_DECLARE_OR_RETURN(bool found, search(a[i], it->second, true));
           if (found) return a[i + 1];
         }
         return a.size() % 2 ? a.back() : std::string();
       }}},
      {"cpulist2devs", {0, -1, [](const Args& a, const FactMap&) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(join_args(a, ",")));
         return join_numbers(cpus, "cpu");
       }}},
      {"cpulist2hex", {0, -1, [](const Args& a, const FactMap&) { return to_hex(join_args(a, ",,")); }}},
      {"cpulist2hex_invert", {0, -1, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, invert(join_args(a, ",,"), facts));
         return to_hex(join_numbers(cpus));
       }}},
      {"cpulist_invert", {0, -1, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, invert(join_args(a, ",,"), facts));
         return join_numbers(cpus);
       }}},
      {"cpulist_online", {0, -1, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(join_args(a, ",")));
         TUNE_DECLARE_OR_RETURN(std::vector<int> online, fact_cpus(facts, "cpu.online"));
         std::vector<int> out;
         std::set_intersection(cpus.begin(), cpus.end(), online.begin(), online.end(), std::back_inserter(out));
         return join_numbers(out);
       }}},
      {"cpulist_pack", {0, -1, [](const Args& a, const FactMap&) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(join_args(a, ",,")));
         return pack_cpulist(cpus);
       }}},
      {"cpulist_present", {0, -1, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(join_args(a, ",,")));
         TUNE_DECLARE_OR_RETURN(std::vector<int> present, fact_cpus(facts, "cpu.present"));
         std::vector<int> out;
         std::set_intersection(cpus.begin(), cpus.end(), present.begin(), present.end(), std::back_inserter(out));
         return join_numbers(out);
       }}},
      {"cpulist_unpack", {0, -1, [](const Args& a, const FactMap&) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, unpack_tuned_cpulist(join_args(a, ",,")));
         return join_numbers(cpus);
       }}},
      {"hex2cpulist", {1, 1, [](const Args& a, const FactMap&) -> Result<std::string> {
         std::string mask = a[0];
         mask.erase(std::remove(mask.begin(), mask.end(), ','), mask.end());
         TUNE_DECLARE_OR_RETURN(std::vector<int> cpus, hex_mask_cpus(mask));
         std::sort(cpus.begin(), cpus.end());
         return join_numbers(cpus);
       }}},
      {"kb2s", {1, 1, [](const Args& a, const FactMap&) -> Result<std::string> {
         auto kib = python_int(a[0]);
         if (!kib) return make_error("kb2s takes a whole number of KiB, not '{}'", a[0]);
         return std::to_string(*kib * 2);
       }}},
      {"regex_search_ternary", {4, 4, [](const Args& a, const FactMap&) -> Result<std::string> {
         TUNE_DECLARE_OR_RETURN(bool found, search(a[1], a[0], false));
         return found ? a[2] : a[3];
       }}},
      {"s2kb", {1, 1, [](const Args& a, const FactMap&) -> Result<std::string> {
         auto sectors = python_int(a[0]);
         if (!sectors) return make_error("s2kb takes a whole number of sectors, not '{}'", a[0]);
         // Python's round() of n/2: halves go to the even neighbour.
         const long long n = *sectors;
         long long half = n >= 0 ? n / 2 : -((-n + 1) / 2);  // floor
         if (n % 2 != 0 && half % 2 != 0) ++half;
         return std::to_string(half);
       }}},
      {"strip", {1, -1, [](const Args& a, const FactMap&) -> Result<std::string> { return python_strip(join_args(a, "")); }}},
      {"virt_check", {2, 2, [](const Args& a, const FactMap& facts) -> Result<std::string> {
         // TuneD asks virt-what, which names containers as well as
         // hypervisors, and takes the second argument on any error.
         auto known_other_than_none = [&](const char* fact) {
           auto it = facts.find(fact);
           return it != facts.end() && !it->second.empty() && it->second != "none";
         };
         return known_other_than_none("virtualization") || known_other_than_none("container") ? a[0] : a[1];
       }}},
  };
  return kFunctions;
}

std::string count_wanted(const Function& function) {
  if (function.max_args < 0) return "at least " + std::to_string(function.min_args);
  if (function.min_args == function.max_args) return std::to_string(function.min_args);
  return std::to_string(function.min_args) + " to " + std::to_string(function.max_args);
}

std::optional<std::string> name_error(const std::string& name) {
  if (name == "exec") return std::string("${f:exec} runs a program; tune never runs programs while planning");
  if (is_plan_time_function(name)) return std::nullopt;
  std::string message = "unknown function '" + name + "'";
  if (auto hint = closest_match(name, plan_time_function_names())) message += " (did you mean '" + *hint + "'?)";
  return message + " in ${f:...}";
}

// TuneD splits on ':' not after '\', then turns "\:" into ':'.
std::vector<std::string> split_call(const std::string& inner) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == ':' && (i == 0 || inner[i - 1] != '\\')) {
      parts.emplace_back();
      continue;
    }
    parts.back() += inner[i];
  }
  for (auto& part : parts) {
    for (size_t at = part.find("\\:"); at != std::string::npos; at = part.find("\\:", at + 1)) part.erase(at, 1);
  }
  return parts;
}

// Walks a value as TuneD's function expander does: '${' opens, any '}'
// closes the innermost open one, and `replace` decides what the closed text
// becomes (nothing: it stays as written). The text after a replacement is
// not read again.
template <class Replace>
Result<std::string> walk(const std::string& value, Replace replace) {
  std::string text = value;
  std::vector<size_t> open;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "${") == 0) {
      open.push_back(i);
      i += 2;
      continue;
    }
    if (text[i] != '}' || open.empty()) {
      ++i;
      continue;
    }
    const size_t start = open.back();
    open.pop_back();
    const std::string inner = text.substr(start + 2, i - start - 2);
    TUNE_DECLARE_OR_RETURN(std::optional<std::string> result, replace(inner));
    if (!result) {
      ++i;
      continue;
    }
    if (text.size() - inner.size() + result->size() > kMaxValue) return make_error("the value grows past 64 KiB");
    text.replace(start, i - start + 1, *result);
    i = start + result->size();
  }
  if (!open.empty()) {
    const std::string rest = text.substr(open.back());
    if (starts_with(rest, "${facts.")) return make_error("'{}' has an unclosed ${{facts.", value);
    if (starts_with(rest, "${f:")) return make_error("'{}' has an unclosed ${{f:", value);
  }
  return text;
}

}  // namespace

std::optional<std::vector<int>> parse_kernel_cpulist(const std::string& raw) {
  const std::string text = trim(raw);
  std::vector<int> cpus;
  if (text.empty()) return cpus;
  for (const auto& range : split(text, ',')) {
    auto dash = range.find('-');
    const std::string first = range.substr(0, dash);
    const std::string last = dash == std::string::npos ? first : range.substr(dash + 1);
    if (!all_digits(first) || !all_digits(last) || first.size() > 5 || last.size() > 5) return std::nullopt;
    const int low = std::stoi(first), high = std::stoi(last);
    if (high < low || high > kMaxCpu || (!cpus.empty() && low <= cpus.back())) return std::nullopt;
    for (int cpu = low; cpu <= high; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

std::string pack_cpulist(const std::vector<int>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(cpus[i]);
    if (j > i) out += "-" + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

Result<std::vector<int>> unpack_tuned_cpulist(const std::string& raw) {
  const auto first = raw.find_first_not_of("'\"");
  const std::string text = first == std::string::npos ? "" : raw.substr(first, raw.find_last_not_of("'\"") - first + 1);
  // Commas inside a hex mask join its words; an empty item ends the mask.
  std::vector<std::string> items;
  std::vector<int> negated;
  bool in_mask = false;
  std::string mask;
  for (const auto& item : split(text, ',')) {
    if (in_mask) {
      if (item.empty()) {
        in_mask = false;
        items.push_back(mask);
        mask.clear();
      } else {
        mask += item;
      }
    } else if (item.size() >= 2 && item[0] == '0' && (item[1] == 'x' || item[1] == 'X')) {
      in_mask = true;
      mask = item;
    } else if (!item.empty() && (item[0] == '^' || item[0] == '!')) {
      auto parts = split(item.substr(1), '-');
      auto low = python_int(parts[0]);
      auto high = parts.size() > 1 ? python_int(parts[1]) : low;
      if (!low || !high) return make_error("'{}' in the cpulist '{}' is not a CPU or a range to leave out", item, raw);
      if (*high > kMaxCpu) return too_high(*high);
      for (long long cpu = *low; cpu <= *high; ++cpu) negated.push_back(static_cast<int>(cpu));
    } else if (!item.empty()) {
      items.push_back(item);
    }
  }
  if (!mask.empty()) items.push_back(mask);
  std::set<int> cpus;
  for (const auto& item : items) {
    if (item.size() >= 2 && item[0] == '0' && (item[1] == 'x' || item[1] == 'X')) {
      TUNE_DECLARE_OR_RETURN(std::vector<int> bits, hex_mask_cpus(item));
      cpus.insert(bits.begin(), bits.end());
      continue;
    }
    // As TuneD: "a-b" is the range from a to b; past a second '-' nothing is read.
    auto parts = split(item, '-');
    auto low = python_int(parts[0]);
    auto high = parts.size() > 1 ? python_int(parts[1]) : low;
    if (!low || !high) return make_error("'{}' in the cpulist '{}' is not a CPU or a range", item, raw);
    if (*high > kMaxCpu) return too_high(*high);
    for (long long cpu = *low; cpu <= *high; ++cpu) cpus.insert(static_cast<int>(cpu));
  }
  for (int cpu : negated) cpus.erase(cpu);
  return std::vector<int>(cpus.begin(), cpus.end());
}

std::optional<std::string> regex_pattern_error(const std::string& pattern) {
  if (pattern.size() > kMaxPattern) return "a regular expression is at most " + std::to_string(kMaxPattern) + " characters";
  try {
    std::regex(pattern, std::regex::ECMAScript | std::regex::multiline);
  } catch (const std::regex_error& e) {
    return std::string("not a regular expression std::regex reads (ECMAScript): ") + e.what();
  }
  return std::nullopt;
}

Result<bool> regex_found(const std::string& pattern, const std::string& text, bool multiline) {
  if (auto error = regex_pattern_error(pattern)) return Error{*error};
  const std::regex regex = multiline ? std::regex(pattern, std::regex::ECMAScript | std::regex::multiline)
                                     : std::regex(pattern, std::regex::ECMAScript);
  std::vector<std::string> lines = split(text, '\n');
  for (const auto& line : lines) {
    if (line.size() > kMaxSearchedLine) {
      return make_error("a line of {} characters is longer than a regular expression searches ({})", line.size(), kMaxSearchedLine);
    }
  }
  std::optional<bool> found;
  std::string failure;
  auto work = [&] {
    try {
      found = std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return std::regex_search(line, regex); });
    } catch (const std::regex_error& e) {
      failure = e.what();
    }
  };
  if (!run_with_large_stack(work)) return make_error("no thread to search with");
  if (!found) return make_error("the search failed: {}", failure);
  return *found;
}

bool is_plan_time_function(const std::string& name) { return functions().count(name) > 0; }

std::vector<std::string> plan_time_function_names() {
  std::vector<std::string> names;
  for (const auto& [name, _] : functions()) names.push_back(name);
  return names;
}

Result<std::string> call_plan_time_function(const std::string& name, const std::vector<std::string>& args,
                                            const FactMap& facts) {
  if (auto error = name_error(name)) return Error{*error};
  const Function& function = functions().at(name);
  const int count = static_cast<int>(args.size());
  if (count < function.min_args || (function.max_args >= 0 && count > function.max_args)) {
    return make_error("${{f:{}}} takes {} argument(s), not {}", name, count_wanted(function), count);
  }
  auto result = function.body(args, facts);
  if (!result) return make_error("${{f:{}}}: {}", name, result.error().message);
  return result;
}

Result<std::string> evaluate_plan_time(const std::string& value, const FactMap& facts) {
  return walk(value, [&](const std::string& inner) -> Result<std::optional<std::string>> {
    if (starts_with(inner, "facts.")) {
      const std::string fact = inner.substr(6);
      auto it = facts.find(fact);
      if (it == facts.end() || it->second.empty()) return make_error("needs the fact {}, which is unknown on this host", fact);
      return std::optional<std::string>(it->second);
    }
    if (!starts_with(inner, "f:")) return std::optional<std::string>();
    std::vector<std::string> parts = split_call(inner);
    const std::string name = parts[1];
    parts.erase(parts.begin(), parts.begin() + 2);
    TUNE_DECLARE_OR_RETURN(std::string result, call_plan_time_function(name, parts, facts));
    return std::optional<std::string>(std::move(result));
  });
}

std::optional<std::string> function_call_error(const std::string& value) {
  auto checked = walk(value, [&](const std::string& inner) -> Result<std::optional<std::string>> {
    // A variable, a fact or a call stands in as a mark: its value is known later.
    if (!starts_with(inner, "f:")) return std::optional<std::string>("\x01");
    std::vector<std::string> parts = split_call(inner);
    if (auto error = name_error(parts[1])) return Error{*error};
    const Function& function = functions().at(parts[1]);
    // Arguments built from variables or other calls are counted once known.
    if (inner.find('\x01') == std::string::npos) {
      const int count = static_cast<int>(parts.size()) - 2;
      if (count < function.min_args || (function.max_args >= 0 && count > function.max_args)) {
        return make_error("${{f:{}}} takes {} argument(s), not {}", parts[1], count_wanted(function), count);
      }
    }
    return std::optional<std::string>("\x01");
  });
  if (!checked) return checked.error().message;
  return std::nullopt;
}

bool has_plan_time_parts(const std::string& value) {
  return value.find("${facts.") != std::string::npos || value.find("${f:") != std::string::npos;
}

}  // namespace tune
