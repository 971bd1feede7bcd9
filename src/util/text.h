// Small string helpers used across tune.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune {

std::string trim(std::string_view text);
// ASCII letters in lower case; other bytes (UTF-8 included) as they are.
std::string ascii_lower(std::string text);
std::vector<std::string> split(std::string_view text, char separator);
std::vector<std::string> split_whitespace(std::string_view text);
std::vector<std::string> split_lines(std::string_view text);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// Collapse runs of blanks to one space and trim: the kernel prints tabs
// where people write spaces ("4096\t87380\t6291456").
std::string normalize_spaces(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);
std::optional<long long> parse_integer(std::string_view text);
std::optional<double> parse_number(std::string_view text);
// A kernel choice line, "always [madvise] never": the bracketed word is the
// current value, every word is offered. False when no word (or two) is bracketed.
bool parse_bracketed_choice(const std::string& text, std::string& current, std::vector<std::string>& choices);
// Text for a terminal, where a value from a file or the kernel could hide
// what follows it: control bytes (but newlines and tabs), DEL, and UTF-8 C1
// controls become \xNN. An escape starts only tune's own colours ("\033[32m"
// and the like); any other escape sequence is shown, not run.
std::string safe_for_terminal(std::string_view text);
// The same for one line: newlines are shown as \n too.
std::string printable_line(std::string_view text);
// Whether text holds a control byte other than newline and tab (or also
// those, with lines = false).
bool has_control_bytes(std::string_view text, bool lines = true);
// Whether text is well-formed UTF-8 (no stray, overlong or surrogate bytes).
bool is_utf8(std::string_view text);
// What a value must be to reach a file tune writes or a terminal unchanged:
// UTF-8 without control bytes (newlines and tabs allowed with lines = true).
bool is_plain_text(std::string_view text, bool lines = true);
// A name from an input file, quoted for an error message ("'sysclt'"), or,
// when it is not a plain name, words that do not repeat it: tune may read a
// file as root that the person running it cannot (sudo tune plan -p /etc/shadow).
std::string quoted_name(std::string_view text);
// Levenshtein distance, for "did you mean" hints.
size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a small distance, if any.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tune
