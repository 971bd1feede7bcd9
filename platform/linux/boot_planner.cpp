#include "platform/linux/boot_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/boot_cmdline.h"
#include "platform/linux/boot_knob.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

std::string header(const std::string& profile) {
  return tune_file_header(profile, "kernel command line parameters, from the next boot");
}

}  // namespace

Status BootPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("boot");
  if (settings.empty()) return {};
  const System& system = request.system;
  const BootLoader loader = boot_loader(system);
  const auto configured = configured_cmdline(system, loader);
  std::vector<std::string> words;  // the parameters tune adds, in profile order
  std::vector<Change> views;
  for (const Setting* setting : settings) {
    auto skip = [&](const std::string& reason) {
      plan.skipped.push_back({"boot", setting->key, setting->want.describe(), reason, setting_origin(*setting)});
    };
    if (loader == BootLoader::None) {
      skip("not available here: no GRUB (/etc/default/grub) or kernel-install (/etc/kernel/cmdline) configuration");
      continue;
    }
    auto before = cmdline_value(configured, setting->key);
    std::string wanted = before && setting->want.satisfied_by(*before) ? *before : setting->want.target_for(before.value_or(""));
    if (!plain_cmdline_text(setting->key) || !plain_cmdline_text(wanted)) {
      skip("'" + cmdline_word(setting->key, wanted) + "' holds blanks, quotes or shell characters tune does not write");
      continue;
    }
    if (wanted == "false") {
      // A flag off is a flag absent; tune adds parameters, it does not take away the boot loader's own.
      if (before) skip("tune adds parameters and does not remove " + setting->key + ", which the boot loader's own configuration sets");
      else skip("already as wanted: " + setting->key + " is not on the command line");
      continue;
    }
    words.push_back(cmdline_word(setting->key, wanted));
    Change view;
    view.domain = "boot";
    view.target = setting->key;
    view.before = before;
    view.after = wanted;
    view.action = before == view.after ? Action::None : before ? Action::Modify : Action::Create;
    view.persistence = Persistence::Boot;
    view.needs_reboot = true;
    view.reason = setting_origin(*setting);
    auto running = cmdline_value(running_cmdline(system), setting->key);
    if (running != view.after) view.note = "from the next boot";
    views.push_back(std::move(view));
  }
  if (words.empty()) return {};
  // Views first: a derived change reads its "before" when the engine reaches it.
  for (auto& view : views) plan.changes.push_back(std::move(view));

  Result<Change> file = Error{};
  const char* tool = nullptr;
  if (loader == BootLoader::Grub) {
    file = plan_file(system, kGrubDropIn,
                     header(request.profile.name) + "GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} " +
                         join(words, " ") + "\"\n",
                     0644, request.profile.name + " (kernel parameters, through update-grub)");
    tool = kUpdateGrub;
  } else {
    // kernel-install reads the whole command line from this one file: tune's words follow the host's.
    std::vector<std::string> line = configured;
    for (const auto& word : words) {
      if (std::find(line.begin(), line.end(), word) == line.end()) line.push_back(word);
    }
    file = plan_file(system, kKernelCmdline, join(line, " ") + "\n", 0644,
                     request.profile.name + " (kernel parameters, through kernel-install)");
    tool = kKernelInstall;
  }
  if (!file) return file.error();
  const bool changed = file->action != Action::None;
  plan.changes.push_back(std::move(*file));
  if (!changed) return {};
  if (!system.can_run_programs()) {
    plan.warnings.push_back(std::string(tool) + " is not run on a tree given with --root: run it inside the tree "
                            "before it boots");
    return {};
  }
  Change call;
  call.domain = "boot";
  call.target = tool;
  call.action = Action::Run;
  call.after = tool;
  call.persistence = Persistence::Boot;
  call.reason = request.profile.name;
  call.note = "regenerates the boot loader's configuration";
  plan.changes.push_back(std::move(call));
  return {};
}

}  // namespace tune::linux_platform
