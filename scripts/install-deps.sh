#!/usr/bin/env bash
# Install what tune needs to build and test, from the distribution's packages
# only (Debian 12 / Ubuntu 22.04+). Idempotent: installs only what is missing,
# and touches nothing when everything is there.
set -euo pipefail

packages=(
  # build (ccache keeps rebuilds of unchanged files cheap, also across fresh clones)
  g++ cmake ninja-build pkg-config ccache
  # libraries
  libcli11-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libsystemd-dev libhwloc-dev libtomlplusplus-dev
  nlohmann-json3-dev
  # tests, and the fuzz targets (libFuzzer comes with clang's runtime)
  libgtest-dev libgmock-dev clang libclang-rt-14-dev
  # programs the end-to-end tests use: sysctl, unshare/setpriv/losetup/runuser, patch, lstopo,
  # mkfs.ext4 (a file system on a loop device for the swap file tests)
  procps util-linux patch hwloc e2fsprogs
  # the report page opened in a real browser: headless Chromium, driven by a small
  # Python script over the DevTools pipe (tests/bench/report_page_check.py)
  chromium python3
  # the NEON kernels, cross-compiled for arm64 and checked under qemu-user
  g++-aarch64-linux-gnu qemu-user
  # the whole-system test: a Debian image (debootstrap) booted under qemu with systemd as PID 1
  qemu-system-x86 qemu-utils debootstrap
  # packaging: the Debian package (built with debhelper, checked by lintian), the RPM spec
  # (rpmbuild), the Ansible collection's test (ansible-core), the JSON output schemas
  # (python3-jsonschema), the completions checked by the shells that load them
  debhelper dpkg-dev fakeroot lintian rpm ansible-core python3-jsonschema bash-completion zsh fish
  # the Kubernetes manifests are checked against the API schema with npm packages (into .deps/npm)
  nodejs
)
# Debian's npm conflicts with Node.js builds that bundle their own npm: ask for it only when missing.
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every package is installed"
else
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing ${missing[*]}; run this script as root (or with sudo) to install them" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Windows stage (scripts/windows-test.sh): MinGW-w64, wine64, and Debian's
# source packages of yaml-cpp, fmt and spdlog (apt-get source needs deb-src
# entries: the binary ones' twins, in a file of their own). Optional: where
# these cannot be had, that stage says so and is skipped.
windows_packages=(g++-mingw-w64-x86-64 wine64 googletest dpkg-dev)
windows_missing=()
for package in "${windows_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || windows_missing+=("$package")
done
deb_src=/etc/apt/sources.list.d/tune-deb-src.sources
if [ "$(id -u)" = 0 ] && [ ! -f "$deb_src" ] && [ ! -f "${deb_src%.sources}.list" ] && [ -z "$(apt-cache showsrc yaml-cpp 2>/dev/null)" ]; then
  for binary_sources in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/ubuntu.sources; do
    if [ -f "$binary_sources" ]; then
      { echo "# Source packages for the Windows stage (scripts/install-deps.sh)"
        sed 's/^Types: deb$/Types: deb-src/' "$binary_sources"; } >"$deb_src"
      break
    fi
  done
  if [ ! -f "$deb_src" ] && [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >"${deb_src%.sources}.list"
  fi
  apt-get update -q || true
fi
if [ ${#windows_missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  echo "install-deps: installing ${windows_missing[*]} (the Windows stage)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${windows_missing[@]}" ||
    echo "install-deps: ${windows_missing[*]} could not be installed; the Windows stage will be skipped" >&2
fi

# The TuneD import tests convert every profile Debian's tuned package ships.
# Unpack the package into .deps/tuned instead of installing it: installing
# would start the tuned daemon, which retunes the machine the tests run on.
repo=$(cd "$(dirname "$0")/.." && pwd)
tuned_root=$repo/.deps/tuned
if [ ! -f "$tuned_root/usr/lib/tuned/throughput-performance/tuned.conf" ]; then
  mkdir -p "$repo/.deps/download"
  ( cd "$repo/.deps/download" && { apt-get download tuned 2>/dev/null || { apt-get update -q && apt-get download tuned; }; } )
  rm -rf "$tuned_root"
  dpkg-deb -x "$(ls "$repo"/.deps/download/tuned_*.deb | head -n 1)" "$tuned_root"
  echo "install-deps: TuneD profiles unpacked into .deps/tuned"
fi

# Two packaging tests check files against published schemas with npm packages,
# pinned (exact versions and a lock file) beside what they check and installed
# into .deps/ when the lock file changed; the tests read nothing else.
#   the Kubernetes manifests: kubernetes-models and js-yaml (packaging/kubernetes/schema-check)
#   the composite CI action: GitHub's action schema validator (packaging/github-action/schema-check)
npm_install() {  # SOURCE_DIR INSTALL_DIR PACKAGE_THAT_MUST_BE_THERE
  local source=$1 root=$2 marker=$3
  if ! cmp -s "$source/package-lock.json" "$root/package-lock.json" ||
     [ ! -f "$root/node_modules/$marker/package.json" ]; then
    rm -rf "$root"
    mkdir -p "$root"
    cp "$source/package.json" "$source/package-lock.json" "$root/"
    npm ci --prefix "$root" --no-audit --no-fund --ignore-scripts --loglevel=error
    echo "install-deps: npm packages from ${source#"$repo"/} installed into ${root#"$repo"/}"
  fi
}
npm_install "$repo/packaging/kubernetes/schema-check" "$repo/.deps/npm" kubernetes-models
npm_install "$repo/packaging/github-action/schema-check" "$repo/.deps/npm-action" @action-validator/cli
# llama.cpp itself, for the tests that compare tune's greedy tokens with it
# (tests/bench/llamacpp): node-llama-cpp ships prebuilt CPU builds of
# llama.cpp in per-platform packages, loaded at test time without building
# or downloading anything. Its GPU builds (CUDA, Vulkan: some 600 MB) are
# never used there and are removed.
npm_install "$repo/tests/bench/llamacpp" "$repo/.deps/npm-llama" node-llama-cpp
rm -rf "$repo"/.deps/npm-llama/node_modules/@node-llama-cpp/*-cuda* \
  "$repo"/.deps/npm-llama/node_modules/@node-llama-cpp/*-vulkan*
