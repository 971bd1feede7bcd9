#!/usr/bin/env bash
# k8s_manifests_test.sh TUNE: the Kubernetes node tuner (packaging/kubernetes).
# 1. Every manifest validates against the Kubernetes API schema and keeps the
#    README's promises (k8s_validate.js, with the npm packages install-deps.sh
#    puts in .deps/npm; skipped when they are absent: nothing downloads here).
# 2. A misspelt field and a wrong type are caught, so the check can fail.
# 3. What the pod runs goes through the real tune: the ConfigMap's profile
#    passes `tune profiles check`; the container's script and preStop hook run
#    as written against a node-like tree in place of /host (ConfigMap symlinks
#    included): apply, ready, drift logged, SIGTERM, rollback, and the tree is
#    as before. The host is never touched.
# 4. The Containerfile: built where a builder and the base image are available
#    offline, else checked line by line (said so in the output).
set -u
tune=${1:?usage: k8s_manifests_test.sh TUNE}
tune=$(cd "$(dirname "$tune")" && pwd)/$(basename "$tune")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
manifests=$repo/packaging/kubernetes
npm_dir=$repo/.deps/npm

if ! command -v node >/dev/null || [ ! -f "$npm_dir/node_modules/kubernetes-models/package.json" ]; then
  echo "skip: node or .deps/npm missing (scripts/install-deps.sh installs them)"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tune-k8s.XXXXXX")
pod_pid=
cleanup() {
  [ -n "$pod_pid" ] && kill "$pod_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failed=0
ok() { echo "ok: $*"; }
bad() {
  echo "FAIL: $*"
  failed=1
}

# ---- 1. schema and promises ----
out=$tmp/out
node "$here/k8s_validate.js" "$manifests" "$npm_dir" "$out" || failed=1
# shellcheck disable=SC1091
. "$out/env"

# ---- 2. the validator fails on a broken manifest ----
broken=$tmp/broken
expect_rejected() {  # what, sed expression on daemonset.yaml, message expected
  rm -rf "$broken" && mkdir "$broken" && cp "$manifests"/*.yaml "$broken/"
  sed -i "$2" "$broken/daemonset.yaml"
  if node "$here/k8s_validate.js" "$broken" "$npm_dir" "$tmp/broken-out" | grep -q "^FAIL: .*$3"; then
    ok "$1 is rejected"
  else
    bad "$1 passed the validator"
  fi
}
expect_rejected "a misspelt field (hostNetwrk)" 's/hostNetwork: true/hostNetwrk: true/' "spec/hostNetwrk: not a field"
expect_rejected "a string where the API wants an integer" 's/periodSeconds: 10/periodSeconds: "10"/' \
  "readinessProbe/periodSeconds: must be integer"
expect_rejected "a preStop without the rollback" 's/rollback --all/verify/' "preStop rolls back"

# ---- 3. the profile, the policy, the pod's commands, through the real tune ----
for profile in "$out"/profiles/*.yaml; do
  if msg=$("$tune" profiles check "$profile" 2>&1); then ok "tune profiles check: $msg"; else bad "tune profiles check: $msg"; fi
done

# A node in miniature: sysctls, a unit the profile would configure, and the
# ConfigMap's tune.toml behind the symlinks kubelet makes (..data -> ..DATE).
node_root=$tmp/host
mkdir -p "$node_root"/proc/sys/{vm,fs/inotify,net/core,net/ipv4} "$node_root"/etc/systemd/system \
  "$node_root"/run/lock "$node_root"/etc/tune/..2026_01_01_00_00_00.1
set_sysctl() { printf '%s\n' "$2" >"$node_root/proc/sys/$1"; }
set_sysctl vm/swappiness 60
set_sysctl vm/dirty_ratio 20
set_sysctl vm/dirty_background_ratio 10
set_sysctl net/core/somaxconn 4096
set_sysctl fs/inotify/max_user_instances 128
set_sysctl fs/inotify/max_user_watches 8192
set_sysctl net/ipv4/tcp_fin_timeout 60
printf '[Service]\nExecStart=/usr/bin/ollama serve\n' >"$node_root/etc/systemd/system/ollama.service"
cp "$out/tune.toml" "$node_root/etc/tune/..2026_01_01_00_00_00.1/tune.toml"
ln -s ..2026_01_01_00_00_00.1 "$node_root/etc/tune/..data"
ln -s ..data/tune.toml "$node_root/etc/tune/tune.toml"
mkdir -p "$node_root/var/lib" && mkdir -m 0755 "$node_root/var/lib/tune"  # as kubelet's DirectoryOrCreate makes it
# The node's procfs seen from the pod: PID 1 is the node's init, /proc/self is
# tune in its pod, with the variables Kubernetes gives every container.
mkdir -p "$node_root/proc/1" "$node_root/proc/self"
printf '0::/init.scope\n' >"$node_root/proc/1/cgroup"
printf 'KUBERNETES_SERVICE_HOST=10.0.0.1\0KUBERNETES_SERVICE_PORT=443\0' >"$node_root/proc/self/environ"

snapshot() {  # the node's files and values, without tune's own state
  (cd "$node_root" && find . -path ./var/lib/tune -prune -o -path ./run/lock -prune -o -print0 | sort -z |
    xargs -0 stat -c '%n %F %a' &&
    find . -path ./var/lib/tune -prune -o -path ./run/lock -prune -o -path ./proc -prune -o -type f -print0 | sort -z | xargs -0 md5sum)
  # A kernel value reads back with a newline whoever wrote it; in the tree, compare the values.
  for file in $(cd "$node_root" && find proc -type f | sort); do echo "$file = $(cat "$node_root/$file")"; done
}
snapshot >"$tmp/before"

# The pod's paths, moved into the tree and the test's directories; nothing else changes.
in_tree() { sed -e "s|/host|$node_root|g" -e "s|$PROFILES_DIR|$out/profiles|g" -e "s|$(dirname "$READY")/|$tmp/run/|g"; }
mkdir -p "$tmp/bin" "$tmp/run"
ln -s "$tune" "$tmp/bin/tune"
pod_env=(env "PATH=$tmp/bin:$PATH" "TUNE_PROFILE=$TUNE_PROFILE" TUNE_VERIFY_INTERVAL=1
  KUBERNETES_SERVICE_HOST=10.0.0.1 KUBERNETES_SERVICE_PORT=443)
ready=$tmp/run/$(basename "$READY")

# Rooted at the node, tune describes the node, not the pod it runs in.
container=$("${pod_env[@]}" tune --json --root "$node_root" detect 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["container"])' 2>&1)
if [ "$container" = none ]; then
  ok "rooted at the node from inside the pod, tune sees no container"
else
  bad "rooted at the node from inside the pod, tune detects container '$container' (its own pod's variables?)"
fi

# A profile that does not exist: the pod fails and never turns ready.
if "${pod_env[@]}" TUNE_PROFILE=no-such-profile sh -c "$(in_tree <"$out/main.sh")" >"$tmp/bad.log" 2>&1; then
  bad "the container script went on after a failed apply"
elif [ -e "$ready" ]; then
  bad "the container turned ready after a failed apply"
else
  ok "a failed apply ends the container, not ready ($(grep -o 'no profile named[^;]*' "$tmp/bad.log" | head -n 1))"
fi

"${pod_env[@]}" sh -c "$(in_tree <"$out/main.sh")" >"$tmp/pod.log" 2>&1 &
pod_pid=$!
for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.1; done
if [ -e "$ready" ]; then ok "ready once the profile is applied"; else bad "never ready: $(tail -n 3 "$tmp/pod.log")"; fi
grep -q '"failed": false' "$tmp/pod.log" && ok "apply --json reported success" || bad "apply --json: $(head -c 300 "$tmp/pod.log")"
[ "$(cat "$node_root/proc/sys/net/core/somaxconn")" = 65535 ] && [ "$(cat "$node_root/proc/sys/fs/inotify/max_user_instances")" = 8192 ] &&
  [ -f "$node_root/etc/sysctl.d/90-tune.conf" ] && ok "sysctls written to the node's /proc/sys and persisted in its /etc/sysctl.d" ||
  bad "sysctls not applied to the tree"
if [ -z "$(ls -A "$node_root/var/lib/tune/journal" 2>/dev/null)" ]; then bad "no journal on the node's /var/lib/tune"
else ok "the journal lives on the node (/var/lib/tune/journal)"; fi
if ls "$node_root"/etc/systemd/system/ollama.service.d >/dev/null 2>&1; then bad "a unit drop-in was written: tune.toml's leave_alone was not read"
else ok "tune.toml read through the ConfigMap's symlinks: services left alone"; fi

set_sysctl fs/inotify/max_user_instances 128
for _ in $(seq 50); do grep -q "drift from profile" "$tmp/pod.log" && break; sleep 0.1; done
if sed -n '/drift from profile/,$p' "$tmp/pod.log" | grep -q 'fs.inotify.max_user_instances'; then
  ok "drift logged by the periodic verify, naming the setting"
else
  bad "drift not logged: $(tail -n 3 "$tmp/pod.log")"
fi
set_sysctl fs/inotify/max_user_instances 8192

if msg=$("${pod_env[@]}" sh -c "$(in_tree <"$out/prestop.sh")" 2>&1); then ok "preStop ran: $(echo "$msg" | tail -n 1)"
else bad "preStop failed: $msg"; fi
[ -e "$ready" ] && bad "still ready after preStop" || ok "not ready after preStop"
kill -TERM "$pod_pid"
for _ in $(seq 50); do kill -0 "$pod_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pod_pid" 2>/dev/null; then bad "the container script ignores SIGTERM"
else
  wait "$pod_pid"
  rc=$?
  [ "$rc" = 0 ] && ok "SIGTERM ends the container script at once, exit 0" || bad "SIGTERM: exit $rc"
fi
pod_pid=
snapshot >"$tmp/after"
if diff -u "$tmp/before" "$tmp/after" >"$tmp/diff"; then ok "after the preStop rollback the node's files and values are as before"
else bad "the rollback left differences: $(head -n 20 "$tmp/diff")"; fi

# The policy really is the ConfigMap's: a broken one is refused, naming it.
printf 'leave_alone = ["nope"]\n' >"$node_root/etc/tune/..2026_01_01_00_00_00.1/tune.toml"
if msg=$("$tune" --root "$node_root" --profiles-dir "$out/profiles" plan -p "$TUNE_PROFILE" 2>&1); then
  bad "a broken tune.toml in the tree was not read"
else
  ok "a broken tune.toml is refused: $(echo "$msg" | tail -n 1)"
fi

# ---- 4. the Containerfile ----
cf=$manifests/Containerfile
built=
for builder in podman buildah docker; do
  command -v "$builder" >/dev/null || continue
  deb=$(ls "$repo"/build/deb/tune_*.deb 2>/dev/null | head -n 1)
  if [ -n "$deb" ] && "$builder" image inspect debian:bookworm-slim >/dev/null 2>&1; then
    if "$builder" build --network=none -f "$cf" -t tune-k8s-test "$repo" >"$tmp/build.log" 2>&1; then
      ok "Containerfile built with $builder"
    else
      bad "Containerfile build with $builder: $(tail -n 5 "$tmp/build.log")"
    fi
    built=yes
    break
  fi
done
if [ -z "$built" ]; then
  echo "note: no container builder with debian:bookworm-slim and build/deb here: the Containerfile is checked line by line"
  grep -qx 'FROM debian:bookworm-slim' "$cf" && ok "Containerfile: FROM debian:bookworm-slim" || bad "Containerfile: FROM"
  grep -q '^COPY build/deb/tune_\*.deb /tmp/$' "$cf" && grep -q 'build/deb' "$repo/scripts/build-deb.sh" &&
    ok "Containerfile: copies the .deb from build/deb, where scripts/build-deb.sh puts it" || bad "Containerfile: COPY of the .deb"
  grep -q 'apt-get install -y --no-install-recommends /tmp/tune_\*.deb' "$cf" &&
    ok "Containerfile: apt-get installs the package, no recommends" || bad "Containerfile: apt-get install of the .deb"
  [ "$(grep -c '^RUN' "$cf")" = 1 ] && ok "Containerfile: one RUN, the package and nothing else" || bad "Containerfile: more than one RUN"
  grep -qx 'ENTRYPOINT \["tune"\]' "$cf" && ok "Containerfile: ENTRYPOINT tune" || bad "Containerfile: ENTRYPOINT"
  grep -q '^USER' "$cf" && bad "Containerfile: a USER line (tune needs root)" || ok "Containerfile: no USER line (root; see its comment)"
  grep -q '^LABEL org.opencontainers.image.title=' "$cf" && ok "Containerfile: org.opencontainers labels" || bad "Containerfile: labels"
fi
exit "$failed"
