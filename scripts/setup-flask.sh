#!/usr/bin/env bash
# Installs Flask for python3 from Debian (python3-flask), for the demo and the tests that run real
# Flask backends. Idempotent.
set -euo pipefail
dpkg -s python3-flask >/dev/null 2>&1 && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-flask: installing python3-flask with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-flask >/dev/null
