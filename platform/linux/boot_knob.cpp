#include "platform/linux/boot_knob.h"

#include "platform/linux/boot_cmdline.h"
#include "util/text.h"

namespace tune::linux_platform {
namespace {

// Run a boot loader tool; its own message when it fails.
Status run_tool(System& system, const std::string& target, const std::string& kernel) {
  std::vector<std::string> argv;
  if (target == kUpdateGrub) {
    argv = {"update-grub"};
  } else {
    if (kernel.empty() || !plain_cmdline_text(kernel) || kernel.find('/') != std::string::npos) {
      return make_error("kernel-install: no kernel release to install for");
    }
    argv = {"kernel-install", "add", kernel, "/boot/vmlinuz-" + kernel};
  }
  auto result = system.run(argv);
  if (!result) return result.error();
  if (result->exit_code != 0) {
    std::string why = trim(result->err.empty() ? result->out : result->err);
    if (why.size() > 300) why = why.substr(why.size() - 300);
    return make_error("{} exited {}: {}", join(argv, " "), result->exit_code, why);
  }
  return {};
}

}  // namespace

Result<Observation> BootKnob::observe(const System& system, const std::string& target) const {
  Observation observation;
  if (is_call(target)) {
    // What a call acts on: the running kernel's release, for kernel-install.
    observation.prior = PriorState::of_value(trim(system.read_file("/proc/sys/kernel/osrelease").value_or_default()));
    return observation;
  }
  if (!plain_cmdline_text(target) || target.find('=') != std::string::npos || target.size() > 64) {
    return make_error("boot: '{}' is not a kernel parameter name", target);
  }
  const BootLoader loader = boot_loader(system);
  if (loader == BootLoader::None) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "not available here: no GRUB (/etc/default/grub) or kernel-install (/etc/kernel/cmdline) configuration";
    return observation;
  }
  observation.value = cmdline_value(configured_cmdline(system, loader), target);
  if (observation.value) observation.prior = PriorState::of_value(*observation.value);
  auto running = cmdline_value(running_cmdline(system), target);
  if (running != observation.value) {
    observation.pending = "the running kernel has " + (running ? cmdline_word(target, *running) : "no " + target) +
                          "; the next boot takes " + (observation.value ? cmdline_word(target, *observation.value) : "none");
  }
  return observation;
}

Status BootKnob::apply(System& system, const Change& change) const {
  if (!is_call(change.target)) return {};
  return run_tool(system, change.target, trim(system.read_file("/proc/sys/kernel/osrelease").value_or_default()));
}

Status BootKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  if (!is_call(target)) return {};
  return run_tool(system, target, prior.kind == PriorState::Kind::Value ? prior.value : "");
}

}  // namespace tune::linux_platform
