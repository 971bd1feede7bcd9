#!/usr/bin/env bash
# The Ansible collection (packaging/ansible) run by Debian's ansible-playbook
# against localhost on a rooted tree: check mode reports the plan and diff and
# changes nothing; the first apply changes, the second does not; the rollback
# puts the tree back byte for byte; the facts module reports the fixture's CPUs;
# an unknown profile fails with tune's own line. All of Ansible's state lives in
# the test's directory, so it needs no privileges and leaves nothing behind.
. "$(dirname "$0")/../e2e/lib.sh"
command -v ansible-playbook >/dev/null || skip "ansible-playbook (ansible-core) is not installed"
make_workdir
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
TUNE=$(cd "$(dirname "$TUNE")" && pwd)/$(basename "$TUNE")

# The collection as ansible-galaxy would install it: ansible_collections/NS/NAME.
mkdir -p "$WORK/collections/ansible_collections/tune" "$WORK/home"
ln -s "$SOURCE/packaging/ansible" "$WORK/collections/ansible_collections/tune/tune"
: >"$WORK/ansible.cfg"
export ANSIBLE_CONFIG=$WORK/ansible.cfg ANSIBLE_HOME=$WORK/ansible-home \
  ANSIBLE_LOCAL_TEMP=$WORK/ansible-local ANSIBLE_REMOTE_TEMP=$WORK/ansible-remote \
  ANSIBLE_COLLECTIONS_PATH=$WORK/collections ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false \
  ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_PIPELINING=true HOME=$WORK/home
unset TUNE_PROFILES_PATH

ROOT=$WORK/root
JOURNAL=/var/lib/tune-ansible  # under the tree, as --state-dir is with --root
make_rooted_host "$ROOT"
# tune writes a sysctl value without the newline the kernel adds when it is
# read; values already in that form let the rollback be compared byte for byte.
printf 60 >"$ROOT/proc/sys/vm/swappiness"
printf 4096 >"$ROOT/proc/sys/net/core/somaxconn"
printf 'processor\t: 0\nprocessor\t: 1\nprocessor\t: 2\n' >"$ROOT/proc/cpuinfo"
mkdir "$WORK/profiles"
# A key this kernel lacks: the plan skips it, and that must neither skip the
# task (Ansible's `skipped`) nor keep it changed.
printf 'name: ansible-small\nsysctl:\n  vm.swappiness: 10\n  net.core.somaxconn: 8192\n  %s\n' \
  'vm.no_such_key: { value: 3, unchecked: true }' >"$WORK/profiles/ansible-small.yaml"

# Every step runs in one ansible-playbook run; the playbook calls this helper
# to record the tree between steps, and writes all results to results.json.
cat >"$WORK/snapshot" <<EOF
#!/usr/bin/env bash
cd "$ROOT" && find . \( -path ./run -o -path ".$JOURNAL" \) -prune -o -type f -print | sort |
  while read -r file; do echo "\$file \$(stat -c %a "\$file") \$(md5sum <"\$file")"; done >"$WORK/\$1.state"
ls "$ROOT$JOURNAL/journal" >"$WORK/\$1.journal" 2>/dev/null || true  # none before the first apply
EOF
chmod +x "$WORK/snapshot"
tree_state() { "$WORK/snapshot" now && cat "$WORK/now.state"; }

# result STEP EXPR: EXPR (Python, over `r`, that step's registered result).
result() {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))[sys.argv[2]]; print(eval(sys.argv[3]))' \
    "$WORK/results.json" "$1" "$2"
}

initial=$(tree_state)
ansible-playbook -i localhost, "$SOURCE/tests/packaging/ansible_playbook.yml" \
  -e "tree=$ROOT journal_dir=$JOURNAL profiles=$WORK/profiles tune_binary=$TUNE" \
  -e "snapshot=$WORK/snapshot results=$WORK/results.json" >"$WORK/play.log" 2>&1
code=$?
if [ "$code" != 0 ] || [ ! -s "$WORK/results.json" ]; then
  cat "$WORK/play.log" >&2
  fail "ansible-playbook exit $code"
  finish
fi
pass "the playbook ran"

expect_eq "check mode reports changed" "$(result check 'r["changed"]')" True
expect_eq "with the plan's three changes" "$(result check 'len(r["changes"])')" 3
expect_eq "the key the kernel lacks is reported skipped" \
  "$(result check '[s["target"] for s in r["skipped_settings"]]')" "['vm.no_such_key']"
expect_eq "while the task itself is not" "$(result check 'r.get("skipped", False)')" False
expect_eq "the diff names vm.swappiness" "$(result check '"+vm.swappiness = 10" in r["diff"]["prepared"]')" True
expect_eq "and net.core.somaxconn" "$(result check '"+net.core.somaxconn = 8192" in r["diff"]["prepared"]')" True
expect_eq "check mode left the tree as it was" "$(cat "$WORK/after-check.state")" "$initial"
expect_eq "and recorded no transaction" "$(cat "$WORK/after-check.journal")" ""

expect_eq "the first apply reports changed" "$(result apply 'r["changed"]')" True
expect_eq "with its transaction" "$(result apply 'r["transaction"]')" 1
expect_eq "and the diff of what it changed" "$(result apply '"+net.core.somaxconn = 8192" in r["diff"]["prepared"]')" True
expect_eq "which is in the journal" "$(cat "$WORK/after-apply.journal")" 000001.jsonl
applied=$(cat "$WORK/after-apply.state")
expect_contains "vm.swappiness is applied in the tree" "$WORK/after-apply.state" \
  "./proc/sys/vm/swappiness 644 $(printf 10 | md5sum)"
expect_contains "and persisted" "$WORK/after-apply.state" "./etc/sysctl.d/90-tune.conf 644"
expect_eq "the second apply reports unchanged" "$(result again 'r["changed"]')" False
expect_eq "and applied nothing" "$(result again 'r["transaction"]')" None
expect_eq "check mode on the tuned tree reports unchanged" "$(result check_again 'r["changed"]')" False
expect_eq "with no diff" "$(result check_again '"diff" in r')" False

expect_eq "the rollback in check mode reports changed" "$(result rollback_check 'r["changed"]')" True
expect_eq "names the transaction it would undo" \
  "$(result rollback_check '[t["rolled_back"] for t in r["rolled_back"]]')" "[1]"
expect_eq "with the restore in its diff" \
  "$(result rollback_check '"-vm.swappiness = 10" in r["diff"]["prepared"]')" True
expect_eq "and left the tree as applied" "$(cat "$WORK/after-rollback-check.state")" "$applied"
expect_eq "the rollback reports changed" "$(result rollback 'r["changed"]')" True
expect_eq "the tree is byte for byte as at the start" "$(cat "$WORK/after-rollback.state")" "$initial"
expect_eq "a second rollback reports unchanged" "$(result rollback_again 'r["changed"]')" False

expect_eq "the facts hold the fixture's CPU count" "$(result facts 'r["ansible_facts"]["tune"]["cpu"]["logical"]')" 3
expect_eq "and its host name" "$(result facts 'r["ansible_facts"]["tune"]["identity"]["hostname"]')" rooted

expect_eq "an unknown profile fails the task" "$(result unknown 'r.get("failed")')" True
expect_eq "with tune's one line" "$(result unknown 'r["msg"]')" \
  "no profile named 'no-such-profile'; see tune profiles list"
expect_eq "and its exit code" "$(result unknown 'r["rc"]')" 1
expect_eq "a missing binary fails with one line" "$(result no_binary 'r["msg"]')" \
  "tune binary /nonexistent/tune is not an executable file"

# The failure message for the exits no rooted tree here can provoke: tune's
# JSON error, a step that failed and was undone (exit 3), stderr without JSON.
expect_eq "failure messages are tune's own line for every exit" "$(python3 -B - \
  "$SOURCE/packaging/ansible/plugins/module_utils/tune_cli.py" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("tune_cli", sys.argv[1])
cli = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cli)
print(cli.error_line('{"error": "lock held by pid 7", "exit_code": 1}', "tune: lock held by pid 7\n", 1))
print(cli.error_line('{"applied": 1, "failed": true, "failure": "sysctl vm.x: Permission denied"}', "", 3))
print(cli.error_line("", "warning: slow\ntune: a usage problem\n", 64))
print(cli.error_line("", "", 4), "|", cli.EXIT_MEANINGS[3])
EOF
)" "lock held by pid 7
sysctl vm.x: Permission denied
a usage problem
tune exited with code 4: the validation measured the change worse than allowed; it was rolled back | a step failed; the steps before it were put back"

# The example playbook parses against the collection, and the collection builds.
if ansible-playbook --syntax-check -i localhost, "$SOURCE/packaging/ansible/playbooks/tune.yml" >"$WORK/syntax" 2>&1
then pass "the example playbook passes --syntax-check"; else fail "example playbook: $(cat "$WORK/syntax")"; fi
if ansible-galaxy collection build "$SOURCE/packaging/ansible" --output-path "$WORK" >"$WORK/build" 2>&1 &&
  tar tzf "$WORK/tune-tune-"*.tar.gz | grep -qx plugins/modules/tune.py; then
  pass "ansible-galaxy builds the collection"
else fail "ansible-galaxy collection build: $(cat "$WORK/build")"; fi

for module in tune tune_facts; do
  if ansible-doc -t module "tune.tune.$module" >"$WORK/doc" 2>&1 &&
    grep -q "^> TUNE.TUNE.${module^^}" "$WORK/doc"; then
    pass "ansible-doc renders tune.tune.$module"
  else fail "ansible-doc tune.tune.$module: $(head -c 600 "$WORK/doc")"; fi
done
expect_eq "ansible-playbook, ansible-galaxy and ansible-doc kept nothing in the home directory" \
  "$(ls -A "$WORK/home")" ""

# ansible-test's sanity tests that need no download (the others fetch pip),
# run where ansible-test wants a collection: in its own ansible_collections tree.
# It keeps its cache in $HOME/.ansible/test whatever ANSIBLE_HOME says: here $WORK/home.
if ! command -v ansible-test >/dev/null; then echo "SKIP: ansible-test is not installed"; finish; fi
mkdir -p "$WORK/sanity/ansible_collections/tune"
cp -r "$SOURCE/packaging/ansible" "$WORK/sanity/ansible_collections/tune/tune"
python=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if (cd "$WORK/sanity/ansible_collections/tune/tune" &&
  ansible-test sanity --python "$python" --test compile --test shebang --test line-endings \
    --test no-smart-quotes) >"$WORK/sanity.log" 2>&1; then
  pass "ansible-test sanity (compile, shebang, line-endings, no-smart-quotes)"
else fail "ansible-test sanity: $(tail -20 "$WORK/sanity.log")"; fi
finish
