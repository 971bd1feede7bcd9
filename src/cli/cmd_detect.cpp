// tune detect: what tune knows about this host.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "detect/probe.h"
#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : text; }
template <class T>
std::string or_unknown(const std::optional<T>& value) {
  return value ? std::to_string(*value) : "unknown";
}

int run_detect(Context& context) {
  HostFacts facts = detect_host(context.system());
  if (context.options.json) {
    context.out(facts_to_json(facts).dump(2) + "\n");
    return exit_code::kOk;
  }
  std::string memory = facts.memory.total_bytes
                           ? fmt::format("{:.1f} GiB", double(*facts.memory.total_bytes) / double(1ull << 30))
                           : "unknown";
  std::string out;
  out += fmt::format("Host:           {} ({})\n", or_unknown(facts.identity.hostname), or_unknown(facts.os_name));
  out += fmt::format("Kernel:         {} on {}\n", or_unknown(facts.identity.kernel), or_unknown(facts.arch));
  out += fmt::format("CPU:            {} ({}), {} logical, {} cores, {} packages\n", or_unknown(facts.cpu.model),
                     or_unknown(facts.cpu.vendor), or_unknown(facts.cpu.logical), or_unknown(facts.cpu.cores),
                     or_unknown(facts.cpu.packages));
  out += fmt::format("ISA flags:      {}\n", facts.cpu.flags.empty() ? "unknown" : join(facts.cpu.flags, " "));
  out += fmt::format("Memory:         {}\n", memory);
  out += fmt::format("Virtualization: {}\n", or_unknown(facts.virtualization));
  out += fmt::format("Container:      {}\n", or_unknown(facts.container));
  context.out(out);
  return exit_code::kOk;
}

}  // namespace

void add_detect_command(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("detect", "Show what tune detects about this host");
  command->callback([&context] { context.exit_code = run_detect(context); });
}

}  // namespace tune::cli
