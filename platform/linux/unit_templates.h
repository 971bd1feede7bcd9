// Unit templates (templates/*.service): whole units a profile installs with
// `template: NAME` where the host has none. They are tune's inputs, read
// from tune's template directories like profiles, not from the host; their
// {{name}} fields are filled from the host's facts.
#pragma once

#include "core/facts.h"
#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace tune::linux_platform {

// The text of template NAME (NAME.service in the first directory that has it).
Result<std::string> load_unit_template(const std::vector<std::string>& dirs, const std::string& name);

// The fields a template may use, from the host's facts.
std::map<std::string, std::string> template_fields(const HostFacts& facts, const std::string& profile);

// {{name}} replaced by its field; a line whose field is empty is left out;
// an unknown field is an error naming it.
Result<std::string> render_unit_template(const std::string& text, const std::map<std::string, std::string>& fields);

// The program a unit runs: ExecStart's first word, without systemd's prefixes (-@:+!).
std::string exec_program(const std::string& unit_text);

}  // namespace tune::linux_platform
