// tune hook post-install | pre-remove: what the Debian package's maintainer
// scripts run. A maintainer script that fails leaves dpkg with a half-installed
// package, so a hook exits 0 whatever happens to the host (only a wrong hook
// command line is an error), never asks, and says what it did on stderr and in
// the system log, where an operator looks after an unattended upgrade.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/planning.h"
#include "cli/system_log.h"
#include "core/engine.h"
#include "detect/probe.h"
#include "util/text.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace tune::cli {
namespace {

// One line per outcome, on stderr and in the system log. Under --root the tree
// is not this host, so its lines stay out of this host's log.
class HookLog {
 public:
  HookLog(const Context& context, std::string hook) : to_system_(context.options.root.empty()), hook_(std::move(hook)) {}

  void say(LogLevel level, const std::string& message) const {
    std::string line = message;
    for (char& c : line) c = c == '\n' ? ' ' : c;  // one line, always
    line = printable_line(line);
    std::fprintf(stderr, "tune hook %s: %s\n", hook_.c_str(), line.c_str());
    if (to_system_) system_log(level, hook_, line);
  }

 private:
  bool to_system_;
  std::string hook_;
};

// dpkg's output is read in logs and terminals alike: the warnings planning
// logs come without colour, whatever stderr is.
void no_colour(Context& context) {
  context.options.no_color = true;
  for (auto& sink : spdlog::default_logger()->sinks()) {
    if (auto colour = std::dynamic_pointer_cast<spdlog::sinks::stderr_color_sink_mt>(sink)) {
      colour->set_color_mode(spdlog::color_mode::never);
    }
  }
}

void post_install(Context& context) {
  const HookLog log(context, "post-install");
  auto policy = context.policy();
  if (!policy) {
    log.say(LogLevel::Error, "failed: " + policy.error().message + "; nothing was changed");
    return;
  }
  if (!policy->hook.apply_on_install) {
    log.say(LogLevel::Info, policy->source.empty()
                                ? std::string("nothing to do: there is no ") + kPolicyPath + " asking for a profile"
                                : "nothing to do: " + policy->source + " does not ask ([hook] post_install is \"none\")");
    return;
  }
  const std::string profile = hook_profile(*policy);
  auto planned = plan_profile(context, profile);
  if (!planned) {
    log.say(LogLevel::Error, "failed: " + planned.error().message + "; nothing was changed");
    return;
  }
  const Plan& plan = planned->plan;
  const std::string named = fmt::format("profile '{}'", plan.profile.empty() ? profile : plan.profile);
  // An upgrade runs postinst again: a profile still in effect plans nothing.
  if (plan.pending() == 0) {
    log.say(LogLevel::Info, "nothing to do: the host already matches " + named);
    return;
  }
  if (!context.system().may_change_host()) {
    log.say(LogLevel::Error, "failed: applying " + named + " needs root; nothing was changed");
    return;
  }
  auto journal_dir = context.journal_dir();
  if (!journal_dir) {
    log.say(LogLevel::Error, "failed: " + journal_dir.error().message + "; nothing was changed");
    return;
  }
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
  engine.set_origin("hook post-install");
  auto report = engine.apply(plan, detect_identity(context.system()));
  if (!report) {
    log.say(LogLevel::Error, "failed: " + report.error().message + "; nothing was changed");
  } else if (report->failed && !report->undo_errors.empty()) {
    log.say(LogLevel::Error, "failed: " + named + ": " + describe_failed_apply(*report) +
                                 ". The host is NOT as before");
  } else if (report->failed) {
    log.say(LogLevel::Error, "failed: " + named + ": " + describe_failed_apply(*report) +
                                 " (transaction " + std::to_string(report->transaction) + ")");
  } else {
    log.say(LogLevel::Info, fmt::format("applied {} change{} of {} as transaction {}; undo with `tune rollback {}`",
                                        report->applied, report->applied == 1 ? "" : "s", named, report->transaction,
                                        report->transaction));
  }
}

// The files tune keeps outside the journal that a rollback does not remove:
// the locks. Everything tune wrote to the host (sysctl.d, units, drop-ins,
// udev rules) is a journaled step, so the rollback already put it back.
std::vector<std::string> own_files(const Context& context) {
  return {std::string(kHostLockDir) + "/tune.lock", context.options.state_dir + "/lock"};
}

void pre_remove(Context& context) {
  const HookLog log(context, "pre-remove");
  if (!context.system().may_change_host()) {
    log.say(LogLevel::Error, "failed: rolling back needs root; nothing was changed");
    return;
  }
  // A tune.toml broken since the last apply must not keep the rollback from
  // running: its journal_dir is then unknown, and the default is the guess.
  std::string journal_dir = context.options.state_dir + "/journal";
  if (auto configured = context.journal_dir()) {
    journal_dir = *configured;
  } else {
    log.say(LogLevel::Warning, configured.error().message + "; rolling back from " + journal_dir);
  }
  // No journal: tune never applied anything here, and taking the locks would
  // leave a state directory behind on a host that never had one.
  if (auto journal = context.system().stat(journal_dir); journal && !journal->exists) {
    log.say(LogLevel::Info, "nothing to roll back: tune never applied anything here");
    return;
  }
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, journal_dir);
  engine.set_origin("hook pre-remove");
  auto reports = engine.rollback_all();
  if (!reports) {
    log.say(LogLevel::Error, "failed: " + reports.error().message +
                                 ". What tune applied is still in effect: the host is NOT as before the package");
  } else if (reports->empty()) {
    log.say(LogLevel::Info, "nothing to roll back: no transaction of tune is in effect");
  } else {
    size_t restored = 0;
    std::vector<std::string> undone;
    for (const auto& report : *reports) {
      restored += report.restored;
      if (!report.errors.empty()) {
        log.say(LogLevel::Error,
                fmt::format("failed: rolling back transaction {} (profile '{}') left {} settings unrestored, first: "
                            "{}. The host is NOT as before the package; it stays in effect for `tune rollback`",
                            report.rolled_back, report.profile, report.errors.size(), report.errors.front()));
        continue;
      }
      undone.push_back(fmt::format("{} ('{}', as {})", report.rolled_back, report.profile, report.transaction));
    }
    if (!undone.empty()) {
      log.say(LogLevel::Info, fmt::format("rolled back transaction{} {}: {} settings restored",
                                          undone.size() == 1 ? "" : "s", join(undone, ", "), restored));
    }
  }
  // Only once nothing of tune is in effect: a lock another tune holds, or one a
  // later `tune rollback` will need, stays.
  const bool all_undone = reports && std::all_of(reports->begin(), reports->end(),
                                                 [](const RollbackReport& report) { return report.errors.empty(); });
  if (!all_undone) return;
  for (const auto& path : own_files(context)) {
    auto info = context.system().stat(path);
    if (!info || !info->exists) continue;
    if (auto removed = context.system().remove_file(path); !removed) {
      log.say(LogLevel::Warning, "could not remove " + path + ": " + removed.error().message);
    }
  }
}

}  // namespace

void add_hook_command(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("hook", "What the package's maintainer scripts run (always exit 0)");
  command->require_subcommand(1);
  command->add_subcommand("post-install", "Apply the profile /etc/tune/tune.toml names, when its [hook] asks")
      ->callback([&context] {
        no_colour(context);
        post_install(context);
        context.exit_code = exit_code::kOk;
      });
  command->add_subcommand("pre-remove", "Roll back everything tune applied, newest first, and remove tune's locks")
      ->callback([&context] {
        no_colour(context);
        pre_remove(context);
        context.exit_code = exit_code::kOk;
      });
}

}  // namespace tune::cli
