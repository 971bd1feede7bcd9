#!/usr/bin/env python3
"""One line from `tune verify --json`: what drifted and what was interrupted,
for the action's error message (the whole report goes to verify.json).

Usage: drift.py VERIFY.json
"""
import json
import sys

try:
    with open(sys.argv[1], encoding="utf-8") as file:
        report = json.load(file)
    parts = [f"{d['target']} is {d['live']}, applied {d['expected']}" for d in report.get("drift", [])]
    parts += [f"transaction {t} was interrupted" for t in report.get("interrupted", [])]
    print("; ".join(parts) or "see verify.json")
except (IndexError, OSError, ValueError, KeyError, TypeError):
    print("see verify.json")
