#!/usr/bin/env bash
# What the test suites need beyond Rust and Python 3, installed when missing (and only then):
# headless Chromium from Debian for the browser tests (tests/cli/browser.rs,
# tests/cli/report_browser.rs) and Java 17 for the Spark tests (python/test.sh). Called by
# the README's test command and by .ci/run. Uses apt-get, as root or through sudo.
#
# OVERLAP_SKIP_BROWSER=1 leaves Chromium out (the browser tests are then reported as
# ignored, see tests/util/needs.rs); OVERLAP_CHROMIUM names a browser other than
# /usr/bin/chromium to check for.
set -euo pipefail

packages=()
chromium="${OVERLAP_CHROMIUM:-/usr/bin/chromium}"
skip_browser="${OVERLAP_SKIP_BROWSER:-}"
if [ -n "$skip_browser" ] && [ "$skip_browser" != 0 ]; then
  echo "setup-test-deps: OVERLAP_SKIP_BROWSER is set: not installing Chromium (the browser tests will be ignored)"
elif [ ! -x "$chromium" ]; then
  packages+=(chromium)
fi
# Spark needs Java 17 or later.
java_major() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  packages+=(openjdk-17-jre-headless)
fi

if [ ${#packages[@]} -eq 0 ]; then
  echo "setup-test-deps: Chromium and Java 17 are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup-test-deps: need ${packages[*]}, but not root and no sudo: install them with apt-get (or set OVERLAP_SKIP_BROWSER=1 to do without Chromium)" >&2
    exit 1
  fi
  sudo="sudo"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-test-deps: need ${packages[*]}, and apt-get is not here: install them with your package manager (Chromium at /usr/bin/chromium or named by OVERLAP_CHROMIUM)" >&2
  exit 1
fi
echo "setup-test-deps: installing ${packages[*]} with apt-get"
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
