#!/usr/bin/env bash
# capture-snapshot.sh [OUT.tar.gz]
# Packs the /proc, /sys and /etc files `tune detect` reads on this host, with
# the facts tune saw, into a tarball for a bug report or a test fixture.
# Unpack it and run `tune --root DIR detect` to read the same host elsewhere.
# Run as root for a complete snapshot (ACPI tables and /proc/1 are root-only).
# Left out: /etc/machine-id and all environment variables except container
# markers; the host name and /proc/mounts stay in: review before sharing.
set -euo pipefail
tune=${TUNE:-tune}
out=${1:-tune-snapshot-$(hostname)-$(date +%Y%m%d-%H%M%S).tar.gz}
command -v "$tune" >/dev/null || { echo "capture-snapshot: '$tune' not found; set TUNE=/path/to/tune" >&2; exit 1; }
name=$(basename "$out")
name=${name%.tar.gz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$tune" detect --capture "$work/$name" >/dev/null
"$tune" --root "$work/$name" detect --json >"$work/$name/tune-facts.json"
tar -C "$work" -czf "$out" "$name"
echo "Wrote $out: unpack it and run: tune --root DIR detect"
