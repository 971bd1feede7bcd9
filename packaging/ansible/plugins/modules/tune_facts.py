#!/usr/bin/python
# -*- coding: utf-8 -*-
# What tune detects about a host (`tune detect --json`), as facts, so that a
# play can choose a profile or skip hosts by CPU, memory, GPUs or kernel.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: tune_facts
short_description: Gather what tune detects about a host as facts
version_added: "0.1.0"
description:
  - Runs C(tune detect --json) and returns its facts as C(ansible_facts.tune).
  - The facts follow tune's versioned facts schema (C(kind) is C(tune-facts)); see docs/FACTS.md of tune.
extends_documentation_fragment:
  - tune.tune.tune
attributes:
  check_mode:
    support: full
    description: Detection only reads; it runs the same in check mode.
  diff_mode:
    support: none
  facts:
    support: full
requirements:
  - tune on the managed host
seealso:
  - module: tune.tune.tune
author:
  - tune developers
"""

EXAMPLES = r"""
- name: Gather tune's facts
  tune.tune.tune_facts:

- name: Apply the inference profile only on hosts without GPUs
  tune.tune.tune:
    profile: llm-inference-cpu
  when: ansible_facts.tune.devices.gpus is not none and ansible_facts.tune.devices.gpus | length == 0
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to ansible_facts.
  returned: always
  type: complex
  contains:
    tune:
      description: The output of C(tune detect --json); null where tune could not tell.
      returned: always
      type: dict
      sample:
        kind: tune-facts
        schema: 2
        cpu: {logical: 16, cores: 8, vendor: GenuineIntel}
        identity: {hostname: node1, kernel: 6.1.0-28-amd64}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.tune.tune.plugins.module_utils.tune_cli import TARGET_ARGUMENT_SPEC, TuneCli


def main():
    module = AnsibleModule(
        argument_spec=dict(TARGET_ARGUMENT_SPEC),
        supports_check_mode=True,
    )
    _, facts, _ = TuneCli(module).run(["detect"])
    module.exit_json(changed=False, ansible_facts=dict(tune=facts))


if __name__ == "__main__":
    main()
