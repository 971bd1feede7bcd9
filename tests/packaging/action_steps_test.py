#!/usr/bin/env python3
"""packaging.ci_action: the composite action in packaging/github-action.

Checks action.yml's structure (a composite action whose inputs reach the
shell only through env) and, when installed, validates it against GitHub's
schema for action metadata; then runs its shell steps here, in order, as the
runner would: each step's env with the ${{ }} expressions evaluated, its own
GITHUB_OUTPUT file, bash -eo pipefail. tune is the built binary on a rooted
tree (TUNE_ACTION_TUNE, TUNE_ACTION_SUDO: the action's test hooks) with a
small profile and the tiny synthetic model, so nothing on this host changes.

Usage: action_steps_test.py PATH_TO_TUNE. Exit 0 pass, 1 fail, 77 skip.
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, verdict  # noqa: E402
import tempfile

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed (Debian's comes with ansible-core)")
    sys.exit(77)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACTION_DIR = os.path.join(REPO, "packaging", "github-action")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")



def strings_in(node):
    """Every string in a parsed YAML tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_in(value)


def check_structure(action):
    inputs = action.get("inputs") or {}
    steps = (action.get("runs") or {}).get("steps") or []
    check((action.get("runs") or {}).get("using") == "composite", "runs.using is composite")
    check(bool(steps), "the action has steps")

    used = set()
    for text in strings_in({"runs": action.get("runs"), "outputs": action.get("outputs")}):
        for expression in EXPRESSION.findall(text):
            used.update(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expression))
    undeclared = sorted(used - set(inputs))
    check(not undeclared, "every ${{ inputs.X }} is a declared input", f"undeclared: {undeclared}")
    unused = sorted(set(inputs) - used)
    check(not unused, "every declared input is used", f"unused: {unused}")
    check(all("default" in spec or spec.get("required") for spec in inputs.values()),
          "every optional input has a default")

    ids = []
    for index, step in enumerate(steps):
        name = step.get("name", f"step {index + 1}")
        if "run" in step:
            body = step["run"]
            check("${{" not in body, f"{name}: no ${{{{ }}}} in the run: script",
                  "an input interpolated into a script can inject shell code")
            check(step.get("shell") == "bash", f"{name}: shell is bash")
            check(body.lstrip().startswith("set -euo pipefail"), f"{name}: starts with set -euo pipefail")
        refs = {ref for text in strings_in(step) for expression in EXPRESSION.findall(text)
                for ref in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.", expression)}
        for ref in sorted(refs):
            check(ref in ids, f"{name}: steps.{ref} is an earlier step", f"earlier ids: {ids}")
        if "id" in step:
            ids.append(step["id"])

    for output, spec in (action.get("outputs") or {}).items():
        refs = re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", spec.get("value", ""))
        check(bool(refs) and all(r[0] in ids for r in refs), f"output {output} comes from a step",
              spec.get("value", ""))

    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    check(len(uploads) == 1 and uploads[0]["uses"] == "actions/upload-artifact@v4",
          "one upload step, actions/upload-artifact@v4")
    return steps, uploads[0] if uploads else {}


def check_build_packages(steps):
    """The packages the source install asks apt for are a part of
    scripts/install-deps.sh's list, so the two cannot drift apart."""
    install = next((s for s in steps if s.get("id") == "install"), {})
    wanted = re.search(r"packages=\(([^)]*)\)", install.get("run", ""))
    deps = open(os.path.join(REPO, "scripts", "install-deps.sh")).read()
    listed = re.search(r"^packages=\((.*?)^\)", deps, re.M | re.S)
    if not check(bool(wanted and listed), "the source install names its packages, and install-deps.sh has a list"):
        return
    known = {word for line in listed.group(1).splitlines() for word in line.split("#")[0].split()}
    extra = sorted(set(wanted.group(1).split()) - known)
    check(not extra, "the source install's packages are all in scripts/install-deps.sh", f"not there: {extra}")


def check_schema():
    """action.yml against GitHub's action metadata schema, with the validator
    pinned in packaging/github-action/schema-check, which scripts/install-deps.sh
    installs into .deps/npm-action (nothing is downloaded here)."""
    validator = os.path.join(REPO, ".deps", "npm-action", "node_modules", "@action-validator", "cli", "cli.mjs")
    node = shutil.which("node") or shutil.which("nodejs")
    if not (node and os.path.exists(validator)):
        print("note: the action schema check did not run: node or .deps/npm-action is missing "
              "(scripts/install-deps.sh installs them)")
        return
    result = subprocess.run([node, validator, os.path.join(ACTION_DIR, "action.yml")],
                            capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, "action.yml is valid against GitHub's action metadata schema",
          schema_errors(result.stdout + result.stderr))


def schema_errors(text):
    """The validator's nested JSON report as one line: its leaf errors."""
    try:
        report = json.loads(text[text.index("{"):])
    except ValueError:
        return " ".join(text.split())[:300]
    leaves = []

    def walk(node):
        if isinstance(node, dict):
            if "detail" in node:
                leaves.append(f"{node.get('path') or '/'}: {node['detail']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(report)
    return "; ".join(dict.fromkeys(leaves))[:300] or " ".join(text.split())[:300]


class Runner:
    """Runs the action's shell steps as the GitHub runner does."""

    def __init__(self, action, work, inputs, env):
        self.defaults = {k: str(v.get("default", "")) for k, v in (action.get("inputs") or {}).items()}
        self.inputs = dict(self.defaults, **inputs)
        self.work = work
        self.env = env
        self.outputs = {}
        self.count = 0

    def evaluate(self, text):
        def one(match):
            expression = match.group(1)
            if m := re.fullmatch(r"inputs\.([A-Za-z0-9_-]+)", expression):
                return self.inputs[m.group(1)]
            if expression == "github.action_path":
                return ACTION_DIR
            if expression == "runner.temp":
                return self.env["RUNNER_TEMP"]
            if m := re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expression):
                return self.outputs.get(m.group(1), {}).get(m.group(2), "")
            raise ValueError(f"the test cannot evaluate ${{{{ {expression} }}}}")
        return EXPRESSION.sub(one, str(text))

    def run(self, step):
        """Runs one step; returns (exit code, stderr)."""
        self.count += 1
        output_file = os.path.join(self.work, f"output-{self.count}")
        script = os.path.join(self.work, f"step-{self.count}.sh")
        open(output_file, "w").close()
        with open(script, "w") as file:
            file.write(step["run"])
        env = dict(self.env, GITHUB_OUTPUT=output_file)
        env.update({k: self.evaluate(v) for k, v in (step.get("env") or {}).items()})
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                                env=env, capture_output=True, text=True, timeout=300)
        values = {}
        with open(output_file) as file:
            for line in file:
                if "=" in line:
                    key, value = line.rstrip("\n").split("=", 1)
                    values[key] = value
        if "id" in step:
            self.outputs[step["id"]] = values
        return result.returncode, result.stderr


def make_rooted_host(root):
    """The tree tests/e2e/lib.sh's make_rooted_host makes: two sysctl keys."""
    for directory in ("proc/sys/vm", "proc/sys/net/core", "proc/sys/kernel", "etc/sysctl.d"):
        os.makedirs(os.path.join(root, directory))
    for path, value in (("proc/sys/vm/swappiness", "60"), ("proc/sys/net/core/somaxconn", "4096"),
                        ("proc/sys/kernel/hostname", "rooted"), ("proc/sys/kernel/osrelease", "6.1.0"),
                        ("etc/machine-id", "0123456789abcdef")):
        with open(os.path.join(root, path), "w") as file:
            file.write(value + "\n")


def read_json(path):
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError):
        return None


def run_action(action, steps, upload, tune, work):
    root, profiles = os.path.join(work, "root"), os.path.join(work, "profiles")
    make_rooted_host(root)
    os.makedirs(profiles)
    with open(os.path.join(profiles, "ci-small.yaml"), "w") as file:
        file.write("name: ci-small\nsummary: the action test's profile\nsysctl:\n"
                   "  vm.swappiness: 10\n  net.core.somaxconn: 8192\n")
    os.makedirs(os.path.join(work, "runner"))
    summary = os.path.join(work, "summary.md")
    env = dict(os.environ, RUNNER_TEMP=os.path.join(work, "runner"), GITHUB_STEP_SUMMARY=summary,
               TUNE_BENCH_CACHE=os.path.join(work, "cache"), TUNE_ACTION_SUDO="",
               TUNE_ACTION_TUNE=f"{tune} --root {root} --state-dir {work}/state --profiles-dir {profiles}")
    host_swappiness = open("/proc/sys/vm/swappiness").read()
    runner = Runner(action, work, {"install": "none", "profile": "ci-small", "bench-model": "synthetic:tiny",
                                   "bench-repeat": "3", "upload-name": "bench"}, env)
    for step in steps:
        if "run" not in step:
            continue
        code, stderr = runner.run(step)
        if not check(code == 0, f"step '{step['name']}' exits 0", f"exit {code}: {stderr.strip()[-400:]}"):
            return

    out = runner.outputs.get("install", {}).get("dir", "")
    check(out == os.path.join(work, "runner", "tune-provision"), "the install step names the output folder", out)
    before, after = read_json(f"{out}/before.json"), read_json(f"{out}/after.json")
    check(bool(before and before.get("metrics")), "before.json is a bench result with metrics")
    check(bool(after and after.get("metrics")), "after.json is a bench result with metrics")
    comparison = read_json(f"{out}/comparison.json")
    check(bool(comparison and comparison.get("metrics")), "comparison.json parses, with metrics")
    html = open(f"{out}/report.html").read() if os.path.exists(f"{out}/report.html") else ""
    check(html.lstrip().lower().startswith("<!doctype html") and "</html>" in html, "report.html is an HTML page")
    applied = read_json(f"{out}/apply.json") or {}
    check(applied.get("transaction") == 1 and applied.get("failed") is False, "apply.json records transaction 1",
          json.dumps(applied))
    check(open(os.path.join(root, "proc/sys/vm/swappiness")).read().strip() == "10",
          "the profile was applied to the rooted tree")
    check(open("/proc/sys/vm/swappiness").read() == host_swappiness, "this host's own swappiness is untouched")
    check(bool(open(summary).read().strip()) if os.path.exists(summary) else False,
          "the comparison went to the job summary")

    outputs = {name: runner.evaluate(spec["value"]) for name, spec in action["outputs"].items()}
    check(outputs.get("transaction") == "1", "output transaction is 1", str(outputs))
    verdicts = {"faster", "slower", "no significant change", "not tested"}
    check(outputs.get("verdict") in verdicts, "output verdict is one of the comparison's verdicts", str(outputs))
    try:
        ratio = float(outputs.get("ratio", ""))
    except ValueError:
        ratio = 0
    check(ratio > 0, "output ratio is a positive number", str(outputs))
    check(outputs.get("comparison") == f"{out}/comparison.json", "output comparison is the JSON's path")

    paths = runner.evaluate(upload.get("with", {}).get("path", "")).split()
    for name in ("before.json", "after.json", "comparison.json", "report.html", "apply.json"):
        path = f"{out}/{name}"
        check(path in paths and os.path.isfile(path), f"the upload step uploads {name}, which exists", str(paths))
    check("always()" in str(upload.get("if", "")), "the upload runs even when a step failed")
    check(runner.evaluate(upload.get("with", {}).get("name", "")) == "bench", "the artifact is named by upload-name")

    # The drift gate: a value moved behind tune's back fails the verify step.
    with open(os.path.join(root, "proc/sys/vm/swappiness"), "w") as file:
        file.write("60\n")
    verify = next(s for s in steps if str(s.get("name", "")).startswith("Verify"))
    code, stderr = runner.run(verify)
    check(code == 2 and "drift" in stderr and len(stderr.strip().splitlines()) == 1,
          "the verify step fails with exit 2 and one line on drift", f"exit {code}: {stderr.strip()}")


def run_refusals(action, steps, tune, work):
    """Bad inputs give one clear line and a failing step; an input is never code."""
    by_name = {s.get("id"): s for s in steps}
    os.makedirs(os.path.join(work, "runner"))
    env = dict(os.environ, RUNNER_TEMP=os.path.join(work, "runner"), TUNE_ACTION_SUDO="",
               TUNE_ACTION_TUNE=f"{tune} --root {work}/root --state-dir {work}/state")
    env.pop("GITHUB_STEP_SUMMARY", None)
    for inputs, why in (({"install": "pip"}, "install must be"), ({"install": "deb"}, "deb input is empty"),
                        ({"install": "deb", "deb": "ftp://example.org/tune.deb"}, "path or an https URL"),
                        ({"install": "deb", "deb": "no-such-dir/tune.deb"}, "names no file")):
        code, stderr = Runner(action, work, inputs, env).run(by_name["install"])
        lines = stderr.strip().splitlines()
        check(code == 1 and len(lines) == 1 and why in lines[0], f"install {inputs} is refused in one line",
              f"exit {code}: {stderr.strip()}")

    make_rooted_host(os.path.join(work, "root"))
    marker = os.path.join(work, "injected")
    runner = Runner(action, work, {"profile": f'x"; touch {marker}; echo "$(touch {marker})'}, env)
    runner.outputs["install"] = {"dir": os.path.join(work, "runner")}
    code, stderr = runner.run(by_name["apply"])
    check(code == 1, "apply of a profile that does not exist fails the step with tune's exit 1",
          f"exit {code}: {stderr.strip()}")
    check(not os.path.exists(marker), "shell code in the profile input is not run")
    error = read_json(os.path.join(work, "runner", "apply.json")) or {}
    check(error.get("exit_code") == 1 and bool(error.get("error")), "apply.json keeps tune's JSON error")


def run_gate(work):
    """verdict.py: max-regression fails only a significant slowdown past it."""
    made = []

    def comparison(verdict, before, after, better="higher"):
        made.append(None)
        path = os.path.join(work, f"comparison-{len(made)}.json")
        with open(path, "w") as file:
            json.dump({"metrics": [{"name": "m", "verdict": verdict, "before_median": before,
                                    "after_median": after, "better": better}]}, file)
        return path
    script = os.path.join(ACTION_DIR, "verdict.py")
    env = dict(os.environ)
    env.pop("GITHUB_OUTPUT", None)
    for args, code, what in (
            ((comparison("slower", 100, 80), "m", "10"), 1, "20% slower with 10% allowed fails"),
            ((comparison("slower", 100, 95), "m", "10"), 0, "5% slower with 10% allowed passes"),
            ((comparison("slower", 10, 12, "lower"), "m", "10"), 1, "a time 20% longer with 10% allowed fails"),
            ((comparison("no significant change", 100, 50), "m", "10"), 0, "a change within the noise passes"),
            ((comparison("slower", 100, 50), "m", ""), 0, "without max-regression it only reports"),
            ((comparison("slower", 100, 95), "m", "ten"), 1, "a max-regression that is not a number is refused"),
            ((comparison("faster", 100, 120), "nope", ""), 1, "a metric not in the comparison is refused")):
        result = subprocess.run([sys.executable, script, *args], env=env, capture_output=True, text=True)
        one_line = code == 0 or len(result.stderr.strip().splitlines()) == 1
        check(result.returncode == code and one_line, f"verdict.py: {what}",
              f"exit {result.returncode}: {result.stderr.strip()}")


def main():
    if len(sys.argv) != 2:
        print("usage: action_steps_test.py PATH_TO_TUNE", file=sys.stderr)
        return 1
    tune = os.path.abspath(sys.argv[1])
    with open(os.path.join(ACTION_DIR, "action.yml")) as file:
        action = yaml.safe_load(file)
    steps, upload = check_structure(action)
    check_schema()
    check_build_packages(steps)
    work = tempfile.mkdtemp(prefix="tune-action-")
    try:
        for name, part in (("run", lambda w: run_action(action, steps, upload, tune, w)),
                           ("refusals", lambda w: run_refusals(action, steps, tune, w)),
                           ("gate", run_gate)):
            os.makedirs(os.path.join(work, name))
            part(os.path.join(work, name))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return verdict()


if __name__ == "__main__":
    sys.exit(main())
