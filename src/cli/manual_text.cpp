#include "cli/manual_text.h"

#include "cli/exit_codes.h"

#include <string>

namespace tune::cli {

const ManualText& manual_text() {
  static const ManualText text = [] {
    ManualText t;
    t.summary = "measured, reviewable, undoable host tuning";
    t.description = {
        "tune detects the host and recommends a profile, saying why; plans what the profile would change, as a "
        "table or a unified diff; applies it as one transaction whose prior state is on disk before each step; "
        "verifies that the host still matches what was applied; and rolls back exactly, even after a crash.",
        "Every command that changes the host needs root, records a transaction in the journal under the state "
        "directory, and can be reviewed first: `tune plan`, `tune apply --dry-run`, `tune rollback --dry-run`.",
        "The global options may be given before or after the command. Each command has its own page, "
        "tune-COMMAND(1); `tune COMMAND --help` prints the same options.",
    };
    const auto code = [](int value) { return std::to_string(value); };
    t.exit_status = {
        {code(exit_code::kOk), "Done, or nothing to do."},
        {code(exit_code::kError), "An error: bad input, refused, or failed before changing anything."},
        {code(exit_code::kPending),
         "With --detailed-exitcode: changes pending (plan), or drift, an interrupted transaction or a pending "
         "reboot (verify, status)."},
        {code(exit_code::kUndone), "A step failed; the steps before it were put back."},
        {code(exit_code::kRegression), "apply --validate: the change measured worse than allowed; it was rolled back."},
        {code(exit_code::kUsage), "The command line itself is wrong."},
    };
    t.environment = {
        {"TUNE_PROFILES_PATH",
         "Colon-separated directories searched for profiles after --profiles-dir and before /etc/tune/profiles."},
        {"TUNE_TEMPLATES_PATH",
         "Colon-separated directories searched for unit templates before /etc/tune/templates."},
        {"TUNE_BENCH_CACHE",
         "Where tune bench keeps synthetic models (else $XDG_CACHE_HOME/tune, ~/.cache/tune, /var/tmp/tune)."},
        {"TUNE_BENCH_KERNELS", "scalar, avx2, avx512 or neon: the compute kernels tune bench uses, if this CPU runs them."},
        {"NO_COLOR", "When set, output is never coloured."},
    };
    t.files = {
        {"/etc/tune/tune.toml", "The host policy: journal directory, service restarts, validation settings."},
        {"/etc/tune/profiles", "Local profiles; they override shipped ones of the same name."},
        {"/usr/share/tune/profiles", "The shipped profiles (share/tune/profiles beside the installed binary)."},
        {"/usr/share/tune/templates", "The shipped unit templates."},
        {"/var/lib/tune", "The state directory: the journal (journal/NNNNNN.jsonl, one transaction each), the lock, "
                          "the last validation."},
        {"/run/lock/tune.lock", "Held while tune changes the host."},
    };
    t.examples = {
        {"tune recommend --explain", "The profile that fits this host, and the facts that decided it."},
        {"tune plan -p NAME --format diff", "What applying the profile NAME would change, as a unified diff."},
        {"tune apply --yes --json -p NAME", "Apply without asking, for a pipeline."},
        {"tune verify --detailed-exitcode", "Exit 2 when the host drifted from what tune applied."},
        {"tune rollback --last", "Put back what the newest transaction changed."},
        {"source <(tune completion bash)", "Complete tune's commands, options, profiles and transactions in bash."},
    };
    t.command_notes = {
        {"completion",
         {"The scripts are installed where bash-completion, zsh and fish look for them; sourcing one by hand is "
          "for a tune that is not installed. Profile names and transaction ids are completed by running tune, "
          "with the --root, --state-dir and --profiles-dir already typed on the line."}},
        {"apply",
         {"Shows the plan and diff first and asks for confirmation on a terminal; needs --yes otherwise. A saved "
          "plan is refused when it was made for another machine, or when a setting it covers changed since."}},
        {"rollback", {"Without an ID, rolls back the newest transaction in effect. Rollbacks are transactions too."}},
    };
    return t;
  }();
  return text;
}

}  // namespace tune::cli
