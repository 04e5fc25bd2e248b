#!/usr/bin/env bash
# Installs headless Chromium from Debian, for the tests that open a page (the admin endpoint's
# traffic panel, the VS Code workbench). Idempotent.
set -euo pipefail
# The binary, not dpkg's record: a removed package keeps its record (state rc) until purged.
[ -x /usr/bin/chromium ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-browser: installing chromium with apt-get"
$sudo apt-get update -qq || { echo "setup-browser: apt-get update failed; install chromium by hand." >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null ||
  { echo "setup-browser: could not install chromium with apt-get; install it by hand." >&2; exit 1; }
