#include "platform/linux/unit_templates.h"

#include "platform/linux/unit_files.h"
#include "util/text.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace tune::linux_platform {

Result<std::string> load_unit_template(const std::vector<std::string>& dirs, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return make_error("'{}' is not a template name", name);
  }
  for (const auto& dir : dirs) {
    std::ifstream in(dir + "/" + name + ".service", std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  return make_error("no template '{}' in {}", name, dirs.empty() ? std::string("(no template directory)") : join(dirs, ", "));
}

std::map<std::string, std::string> template_fields(const HostFacts& facts, const std::string& profile) {
  std::map<std::string, std::string> fields;
  fields["profile"] = profile;
  const int logical = facts.cpu.logical.value_or(0);
  const int cores = facts.cpu.cores.value_or(logical);
  const size_t nodes = facts.topology.numa_known ? facts.topology.numa_nodes.size() : 0;
  fields["threads"] = cores > 0 ? std::to_string(cores) : "";
  fields["cpu_affinity"] = logical > 1 ? fmt::format("0-{}", logical - 1) : logical == 1 ? "0" : "";
  fields["numa_policy"] = nodes >= 2 ? "interleave" : nodes == 1 ? "default" : "";
  fields["numa_mask"] = nodes >= 2 ? "all" : "";
  fields["topology"] = fmt::format("{} CPUs, {} cores, {} NUMA node{}", logical ? std::to_string(logical) : "?",
                                   cores ? std::to_string(cores) : "?", nodes ? std::to_string(nodes) : "?",
                                   nodes == 1 ? "" : "s");
  return fields;
}

Result<std::string> render_unit_template(const std::string& text, const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& line : split_lines(text)) {
    std::string rendered;
    bool empty_field = false;
    size_t at = 0;
    for (;;) {
      size_t open = line.find("{{", at);
      if (open == std::string::npos) {
        rendered += line.substr(at);
        break;
      }
      size_t close = line.find("}}", open);
      if (close == std::string::npos) return make_error("unclosed {{{{ in template line '{}'", line);
      const std::string name = line.substr(open + 2, close - open - 2);
      auto field = fields.find(name);
      if (field == fields.end()) return make_error("the template uses {{{{{}}}}}, which tune does not fill", name);
      empty_field = empty_field || field->second.empty();
      rendered += line.substr(at, open - at) + field->second;
      at = close + 2;
    }
    if (!empty_field) out += rendered + "\n";
  }
  return out;
}

std::string exec_program(const std::string& unit_text) {
  for (const auto& assignment : parse_unit_text(unit_text)) {
    if (assignment.section != "Service" || assignment.key != "ExecStart") continue;
    auto words = split_whitespace(assignment.value);
    if (words.empty()) continue;
    std::string program = words[0];
    while (!program.empty() && std::string("-@:+!").find(program[0]) != std::string::npos) program.erase(0, 1);
    return program;
  }
  return "";
}

}  // namespace tune::linux_platform
