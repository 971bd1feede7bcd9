# -*- coding: utf-8 -*-
# Running the tune command line from the collection's modules: one place that
# finds the binary, adds the global options every call shares, parses JSON and
# turns tune's exit codes into one failure message.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

# tune's documented exit codes (README.md, docs/CLI.md). 2 is not here: with
# --detailed-exitcode it means "changes pending", which callers ask for.
EXIT_MEANINGS = {
    1: "error: bad input, refused, or failed before changing anything",
    3: "a step failed; the steps before it were put back",
    4: "the validation measured the change worse than allowed; it was rolled back",
    64: "the command line itself is wrong",
}

# Options every module that runs tune takes: which tune, and which tree
# (documented once, in doc_fragments/tune.py).
TARGET_ARGUMENT_SPEC = dict(
    binary=dict(type="str", default="tune"),
    root=dict(type="path"),
)
# With those of the modules that read or write the journal and profiles.
COMMON_ARGUMENT_SPEC = dict(
    TARGET_ARGUMENT_SPEC,
    state_dir=dict(type="path"),
    profiles_dir=dict(type="list", elements="path", default=[]),
)


class TuneCli(object):
    def __init__(self, module):
        self.module = module
        self.binary = self._find_binary(module.params["binary"])
        self.global_args = ["--no-color"]
        if module.params.get("root"):
            self.global_args += ["--root", module.params["root"]]
        if module.params.get("state_dir"):
            self.global_args += ["--state-dir", module.params["state_dir"]]
        for directory in module.params.get("profiles_dir") or []:
            self.global_args += ["--profiles-dir", directory]

    def _find_binary(self, binary):
        # A name is looked up on PATH (and the sbin directories Ansible adds);
        # anything with a slash is taken as the path it is.
        if os.sep in binary:
            if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
                self.module.fail_json(msg="tune binary %s is not an executable file" % binary)
            return binary
        return self.module.get_bin_path(binary, required=True)

    def command(self, args, json_output):
        cmd = [self.binary] + self.global_args
        if json_output:
            cmd.append("--json")
        return cmd + list(args)

    def run(self, args, json_output=True, ok=(0,)):
        """Run tune; fail the module unless the exit code is in ok.

        Returns (rc, parsed JSON or None, stdout)."""
        cmd = self.command(args, json_output)
        rc, out, err = self.module.run_command(cmd, environ_update={"NO_COLOR": "1"})
        if rc not in ok:
            self.fail(cmd, rc, out, err)
        if not json_output:
            return rc, None, out
        try:
            return rc, json.loads(out), out
        except ValueError as error:
            self.module.fail_json(msg="tune printed output that is not JSON: %s" % error,
                                  cmd=cmd, rc=rc, stdout=out, stderr=err)

    def fail(self, cmd, rc, out, err):
        self.module.fail_json(msg=error_line(out, err, rc), rc=rc,
                              exit_meaning=EXIT_MEANINGS.get(rc, "unexpected exit code"),
                              cmd=cmd, stdout=out, stderr=err)


def error_line(out, err, rc):
    """tune's own one-line reason: the JSON error (--json), else its stderr."""
    try:
        data = json.loads(out)
    except ValueError:
        data = None
    if isinstance(data, dict):
        if data.get("error"):
            return data["error"]
        if data.get("failure"):
            return data["failure"]
    for line in reversed(err.splitlines()):
        line = line.strip()
        if line.startswith("tune: "):
            return line[len("tune: "):]
    if err.strip():
        return err.strip().splitlines()[-1]
    return "tune exited with code %d: %s" % (rc, EXIT_MEANINGS.get(rc, "unexpected exit code"))
