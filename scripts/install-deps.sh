#!/usr/bin/env bash
# Install what tune needs to build and test, from the distribution's packages
# only (Debian 12 / Ubuntu 22.04+). Idempotent: installs only what is missing,
# and touches nothing when everything is there.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build pkg-config
  # libraries
  libcli11-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libsystemd-dev libhwloc-dev libtomlplusplus-dev
  nlohmann-json3-dev
  # tests
  libgtest-dev libgmock-dev
  # programs the end-to-end tests use: sysctl, unshare/setpriv, patch, lstopo
  procps util-linux patch hwloc
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing ${missing[*]}; run this script as root (or with sudo) to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
