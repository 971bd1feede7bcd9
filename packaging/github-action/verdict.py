#!/usr/bin/env python3
"""The action's outputs from `tune bench compare --json`: one metric's verdict
and its ratio (median after / median before), written to $GITHUB_OUTPUT.

Usage: verdict.py COMPARISON.json METRIC [MAX_REGRESSION_PCT]

With MAX_REGRESSION_PCT, exits 1 when the comparison found the metric slower
(significant, by `tune bench compare`'s test) by more than that many percent;
a change within the noise never fails the step, whatever its size.
"""
import json
import os
import sys


def fail(message):
    print(f"tune-provision: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) not in (3, 4):
        fail("usage: verdict.py COMPARISON.json METRIC [MAX_REGRESSION_PCT]")
    path, metric_name = argv[1], argv[2]
    limit_text = argv[3].strip() if len(argv) == 4 else ""
    limit = None
    if limit_text:
        try:
            limit = float(limit_text)
        except ValueError:
            fail(f"max-regression must be a percentage, not '{limit_text}'")
        if not 0 <= limit <= 100:
            fail(f"max-regression must be between 0 and 100, not {limit_text}")

    try:
        with open(path, encoding="utf-8") as file:
            comparison = json.load(file)
    except (OSError, ValueError) as error:
        fail(f"cannot read the comparison {path}: {error}")
    metrics = {m.get("name"): m for m in comparison.get("metrics", [])}
    metric = metrics.get(metric_name)
    if metric is None:
        fail(f"no metric '{metric_name}' in the comparison; it has: {', '.join(sorted(metrics))}")

    before, after = metric["before_median"], metric["after_median"]
    ratio = after / before if before else float("nan")
    verdict = metric["verdict"]
    output = os.environ.get("GITHUB_OUTPUT")
    lines = f"verdict={verdict}\nratio={ratio:.6g}\n"
    if output:
        with open(output, "a", encoding="utf-8") as file:
            file.write(lines)
    print(f"{metric_name}: {verdict}, after/before {ratio:.4f}")

    if limit is not None and verdict == "slower":
        # Slower is a lower ratio for a metric where higher is better, and a
        # higher one for times.
        loss = (1 - ratio if metric.get("better") == "higher" else ratio - 1) * 100
        if loss > limit:
            fail(f"{metric_name} is {loss:.1f}% slower after the profile, more than the {limit:g}% allowed")


if __name__ == "__main__":
    main(sys.argv)
