#!/usr/bin/env bash
# Installs what the demo needs on Debian: Flask for python3 (Debian's package) and the npm
# dependencies. Safe to run again: it installs only what is missing. The tests install the rest
# (a browser, the VS Code server, HAProxy and nginx) the first time one needs it, through
# test/support/prerequisites.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Local LB needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

bash scripts/setup-flask.sh
npm ci --no-audit --no-fund
