#!/usr/bin/python
# -*- coding: utf-8 -*-
# The tune module: a profile applied (or everything tune applied rolled back)
# as one journaled transaction, planned first so that check mode, diff mode and
# `changed` come from tune's own plan rather than from guessing.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: tune
short_description: Apply a tune profile to a host, or roll back what tune applied
version_added: "0.1.0"
description:
  - Plans a tune profile with C(tune plan) and applies it with C(tune apply) as one transaction
    whose prior state is journaled, only when the plan has changes.
  - With I(state=rolled_back), rolls back every transaction of tune still in effect, newest first
    (C(tune rollback --all)).
  - In check mode nothing is changed; the module returns the plan (or what a rollback would restore)
    and whether it would change anything.
  - In diff mode the unified diff of runtime values and persisted files is returned as tune prints it.
options:
  profile:
    description:
      - A profile name from the search path, a path to a profile file on the managed host,
        or C(auto) for the profile C(tune recommend) names for the host.
      - Ignored when I(state=rolled_back).
    type: str
    default: auto
  state:
    description:
      - C(applied) makes the host match the profile.
      - C(rolled_back) puts back everything tune applied that is still in effect.
    type: str
    choices: [applied, rolled_back]
    default: applied
  state_dir:
    description:
      - Where tune keeps its journal (C(tune --state-dir)); under I(root) when that is given.
      - Default C(/var/lib/tune).
    type: path
  profiles_dir:
    description:
      - Directories searched for profiles before the standard ones, in order (C(tune --profiles-dir)).
    type: list
    elements: path
    default: []
extends_documentation_fragment:
  - tune.tune.tune
attributes:
  check_mode:
    support: full
    description: Returns the plan, or the rollback's restores, and changes nothing.
  diff_mode:
    support: full
    description: Returns tune's unified diff as C(diff.prepared).
notes:
  - Real changes need root on the managed host unless I(root) is given.
  - A step that fails is undone by tune before the module fails (exit code 3).
  - Settings tune cannot apply on the host (an unknown sysctl, say) are skipped by the plan and
    returned in RV(skipped_settings); they do not make the task change or fail.
requirements:
  - tune on the managed host
seealso:
  - module: tune.tune.tune_facts
author:
  - tune developers
"""

EXAMPLES = r"""
- name: Apply the profile tune recommends for this host
  tune.tune.tune:

- name: Apply a named profile, showing the diff
  tune.tune.tune:
    profile: llm-inference-cpu
  diff: true

- name: Preview a profile kept beside the playbook's own profiles
  tune.tune.tune:
    profile: api-edge
    profiles_dir:
      - /etc/tune/site-profiles
  check_mode: true
  register: preview

- name: Put back everything tune applied
  tune.tune.tune:
    state: rolled_back
"""

RETURN = r"""
profile:
  description: The profile planned (for C(auto), the one tune chose).
  returned: state is applied
  type: str
  sample: llm-inference-cpu
changes:
  description:
    - The settings changed, or that would change in check mode, in the format of a saved plan's C(changes).
    - For I(state=applied), the plan's changes other than C(none); for I(state=rolled_back), the restores
      of every transaction in check mode.
  returned: always
  type: list
  elements: dict
  sample:
    - {domain: sysctl, target: vm.swappiness, action: modify, before: "60", after: "10",
       needs_reboot: false, persistence: file, reversible: true, reason: "small (small.yaml:3:3)"}
skipped_settings:
  description:
    - Settings of the profile that the plan skipped, each with its reason (a sysctl this kernel lacks).
    - Not named C(skipped), which would make Ansible report the task itself as skipped.
  returned: state is applied
  type: list
  elements: dict
plan:
  description: The whole plan as C(tune plan --format json) prints it.
  returned: state is applied
  type: dict
transaction:
  description: The id of the transaction recorded by the apply; null when nothing was applied.
  returned: state is applied
  type: int
  sample: 7
applied:
  description: How many settings the apply changed.
  returned: state is applied and not check mode
  type: int
reboot_required:
  description: Whether any of the changes takes effect only at the next boot (kernel parameters).
  returned: state is applied
  type: bool
rolled_back:
  description:
    - One entry per transaction rolled back (or that would be, in check mode), newest first, as
      C(tune rollback --all --json) prints them - C(rolled_back) is the transaction undone,
      C(transaction) the rollback's own transaction (null in check mode), C(restored) the count.
  returned: state is rolled_back
  type: list
  elements: dict
  sample:
    - {rolled_back: 2, transaction: 3, profile: small, restored: 3, errors: []}
diff:
  description: tune's review of the change with its unified diff, as C(prepared).
  returned: diff mode and something changed or would change
  type: dict
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.tune.tune.plugins.module_utils.tune_cli import COMMON_ARGUMENT_SPEC, TuneCli


def ensure_applied(module, cli):
    profile = module.params["profile"]
    # --detailed-exitcode: exit 2 is tune's own verdict that the plan has changes.
    rc, plan, _ = cli.run(["plan", "-p", profile, "--format", "json", "--detailed-exitcode"], ok=(0, 2))
    pending = rc == 2
    changes = [change for change in plan.get("changes", []) if change.get("action") != "none"]
    for warning in plan.get("warnings", []):
        module.warn("tune: %s" % warning)
    result = dict(changed=pending, profile=plan.get("profile"), plan=plan, changes=changes,
                  skipped_settings=plan.get("skipped", []), transaction=None,
                  reboot_required=any(change.get("needs_reboot") for change in changes))
    if pending and module._diff:
        _, _, text = cli.run(["plan", "-p", profile, "--format", "diff"], json_output=False)
        result["diff"] = dict(prepared=text)
    if not pending or module.check_mode:
        module.exit_json(**result)

    rc, outcome, _ = cli.run(["apply", "--yes", "-p", profile])
    if outcome.get("failed"):
        # tune exits 3 when it had to undo a step; this covers a 0 with the flag set too.
        cli.fail(cli.command(["apply", "--yes", "-p", profile], True), rc, json.dumps(outcome), "")
    result["applied"] = outcome.get("applied", 0)
    result["transaction"] = outcome.get("transaction") or None
    # The host may have moved between plan and apply; only what was applied counts.
    result["changed"] = result["applied"] > 0
    module.exit_json(**result)


def ensure_rolled_back(module, cli):
    # The dry run is refused exactly where the rollback would be, and says what it restores.
    _, review, _ = cli.run(["rollback", "--all", "--dry-run"])
    result = dict(changed=bool(review), rolled_back=review, changes=[])
    for transaction in review:
        result["changes"].extend(transaction.get("changes", []))
    if review and module._diff:
        _, _, text = cli.run(["rollback", "--all", "--dry-run"], json_output=False)
        result["diff"] = dict(prepared=text)
    if not review or module.check_mode:
        module.exit_json(**result)

    _, done, _ = cli.run(["rollback", "--all"])
    errors = [error for transaction in done for error in transaction.get("errors", [])]
    if errors:
        module.fail_json(msg="rollback left errors: %s" % "; ".join(str(e) for e in errors),
                         rolled_back=done, changed=bool(done))
    result["rolled_back"] = done
    result["changed"] = bool(done)
    module.exit_json(**result)


def main():
    argument_spec = dict(
        profile=dict(type="str", default="auto"),
        state=dict(type="str", default="applied", choices=["applied", "rolled_back"]),
    )
    argument_spec.update(COMMON_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    cli = TuneCli(module)
    if module.params["state"] == "applied":
        ensure_applied(module, cli)
    else:
        ensure_rolled_back(module, cli)


if __name__ == "__main__":
    main()
