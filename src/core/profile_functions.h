// Plan-time functions: ${f:NAME:ARG:...} in profile values, TuneD's built-in
// functions with TuneD's semantics, evaluated against the host's facts when a
// plan is made (never by running a program). Pure: the inputs are the text
// and the FactMap. docs/PROFILES.md, "Functions", lists them.
#pragma once

#include "core/facts.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace tune {

// The highest CPU number a cpulist may name: the kernel's NR_CPUS limit.
// A range past it ("0-4000000000") is refused rather than expanded.
constexpr int kMaxCpu = 8191;

// A kernel cpulist ("0-3,8-11", "" for none), strictly as the kernel writes
// it: sorted, without duplicates. Nothing when malformed.
std::optional<std::vector<int>> parse_kernel_cpulist(const std::string& text);
// CPUs, sorted, as the kernel writes them: "0-3,8-11".
std::string pack_cpulist(const std::vector<int>& cpus);

// TuneD's cpulist syntax (tuned.utils.commands.cpulist_unpack): "1-3,5",
// hex masks "0xff" (commas inside a mask, up to an empty item: "0xff,00,,3"),
// negation "^2" or "!2-3", quotes around the whole stripped. Sorted, unique.
Result<std::vector<int>> unpack_tuned_cpulist(const std::string& text);

// Regular expressions (conditions' ~REGEX, regex_search_ternary,
// cpuinfo_check): ECMAScript as std::regex reads it, '^' and '$' at each
// line when `multiline`. libstdc++ matches by recursion, deep enough on a
// long text to overflow the stack, so a pattern is at most kMaxPattern
// characters, the text is searched one line at a time (a match never spans
// lines; a line past kMaxSearchedLine is an error), on a thread with a
// large stack of its own.
constexpr size_t kMaxPattern = 256;
constexpr size_t kMaxSearchedLine = 4096;
std::optional<std::string> regex_pattern_error(const std::string& pattern);
Result<bool> regex_found(const std::string& pattern, const std::string& text, bool multiline);

// Whether NAME is one of the functions below (exec is not: tune never runs
// programs while planning).
bool is_plan_time_function(const std::string& name);
std::vector<std::string> plan_time_function_names();

// Call one function. The error says why (a failed assertion, a bad argument,
// a fact this host does not know); the setting is then skipped.
Result<std::string> call_plan_time_function(const std::string& name, const std::vector<std::string>& args,
                                            const FactMap& facts);

// Fill ${facts.X} and evaluate ${f:...} in a value, innermost first (as
// TuneD does: any '}' closes the innermost open '${'). Other ${...} are left
// as written. Arguments split on ':' not preceded by '\'; "\:" is a ':'.
Result<std::string> evaluate_plan_time(const std::string& value, const FactMap& facts);

// The parse-time check of a value: each ${f:NAME names a known function
// (exec and unknown names are errors), and calls whose arguments hold no
// ${...} have an argument count the function takes. The message, or nothing.
std::optional<std::string> function_call_error(const std::string& value);

// Whether a value holds something evaluated at plan time.
bool has_plan_time_parts(const std::string& value);

}  // namespace tune
