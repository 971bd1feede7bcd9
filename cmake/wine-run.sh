#!/usr/bin/env bash
# Runs a Windows program built here under wine64: CMake's emulator for the
# programs the build itself runs (tools/knowledge_pack), and the runner of
# scripts/windows-test.sh. A private prefix (WINEPREFIX, default beside this
# build: build/mingw/wineprefix), no debug chatter, and no Mono or Gecko
# (mscoree, mshtml disabled), so nothing is ever downloaded.
set -euo pipefail
export WINEPREFIX=${WINEPREFIX:-$(cd "$(dirname "$0")/.." && pwd)/build/mingw/wineprefix}
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
wine=$(command -v wine64 || true)
[ -n "$wine" ] || wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine)
exec "$wine" "$@"
