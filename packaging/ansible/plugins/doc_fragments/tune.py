# -*- coding: utf-8 -*-
# The options every module of the collection takes to reach tune: which
# binary, and which tree. One text, as module_utils/tune_cli.py keeps one spec.

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  root:
    description:
      - The tree under this directory stands for C(/) (images, tests; C(tune --root)).
    type: path
  binary:
    description:
      - The tune executable. A name is looked up on C(PATH); a value with a C(/) is used as it is.
    type: str
    default: tune
'''
