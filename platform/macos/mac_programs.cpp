#include "platform/macos/mac_programs.h"

#include "util/text.h"

namespace tune::macos_platform {
namespace {

std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& word : argv) {
    if (!line.empty()) line += ' ';
    // The program by its name: the path is always the same one.
    line += line.empty() ? word.substr(word.rfind('/') + 1) : word;
  }
  return line;
}

std::string first_line(const std::string& text) {
  for (const auto& line : split_lines(text)) {
    std::string trimmed = trim(line);
    if (!trimmed.empty()) return trimmed;
  }
  return "";
}

Result<std::string> checked(const Result<ProcessResult>& result, const std::vector<std::string>& argv) {
  if (!result) return make_error("{}: {}", command_line(argv), result.error().message);
  if (result->exit_code != 0) {
    std::string why = first_line(result->err);
    if (why.empty()) why = first_line(result->out);
    if (why.empty()) why = "exit status " + std::to_string(result->exit_code);
    return make_error("{}: {}", command_line(argv), why);
  }
  return result->out;
}

}  // namespace

Result<std::string> read_program(const System& system, const std::vector<std::string>& argv) {
  return checked(system.query(argv), argv);
}

Status run_program(System& system, const std::vector<std::string>& argv) {
  auto out = checked(system.run(argv), argv);
  if (!out) return out.error();
  return {};
}

}  // namespace tune::macos_platform
