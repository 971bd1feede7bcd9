// The files the Linux backends write, and no others: a saved plan's or a
// journal's file change outside this list is refused (FileKnob asks).
#pragma once

#include <string>

namespace tune::linux_platform {

bool linux_owned_file(const std::string& path);

}  // namespace tune::linux_platform
