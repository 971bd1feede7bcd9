// Files a command writes for the person running it (a saved plan, a bench
// result, a converted profile, a report page): on the machine tune runs on,
// not the host it tunes, so they do not go through System or --root.
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>

namespace tune::cli {

// Write the whole text to a temporary file beside `path`, then rename it
// over `path`: a reader (a CI job collecting artifacts) never sees half a file.
Status write_output_file(const std::string& path, std::string_view text);

// Whether write_output_file could write there (the directory takes new
// files), asked before work whose result would otherwise be lost.
Status check_output_writable(const std::string& path);

}  // namespace tune::cli
