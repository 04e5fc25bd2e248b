#!/usr/bin/env bash
# Installs a real VS Code server (from the npm package code-server) and headless Chromium, for the
# tests that run inside VS Code. Idempotent: what is installed is kept in .vscode-test/.
# docs/testing.md says why each step is needed on a machine without internet.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3   # VS Code 1.100.3: the newest code-server whose engines.node is 20
RIPGREP_VERSION=1.15.11       # the @vscode/ripgrep that code-server depends on
PREFIX=.vscode-test/code-server-$CODE_SERVER_VERSION
SERVER_MAIN=$PREFIX/node_modules/code-server/lib/vscode/out/server-main.js

fail() {
  echo "setup-vscode-server: $*" >&2
  exit 1
}

bash scripts/setup-browser.sh
packages=()
for package in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep; do
  dpkg -s "$package" >/dev/null 2>&1 || packages+=("$package")
done
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup-vscode-server: installing ${packages[*]} with apt-get"
  $sudo apt-get update -qq || fail "apt-get update failed; install ${packages[*]} by hand."
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null ||
    fail "could not install ${packages[*]} with apt-get; install them by hand."
fi

if [ ! -f "$SERVER_MAIN" ]; then
  # @vscode/ripgrep downloads rg from GitHub unless it finds this archive in its cache; Debian's rg serves.
  cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_VERSION"
  mkdir -p "$cache"
  tar -czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  echo "setup-vscode-server: installing code-server@$CODE_SERVER_VERSION into $PREFIX (about a minute)"
  mkdir -p "$PREFIX"
  # npx inside node-pty's postinstall needs `yes`; code-server's postinstall refuses root without --unsafe-perm.
  (cd "$PREFIX" && echo '{"private":true}' > package.json &&
    npm_config_yes=true npm install --no-audit --no-fund --unsafe-perm "code-server@$CODE_SERVER_VERSION" >install.log 2>&1) ||
    fail "npm install code-server@$CODE_SERVER_VERSION failed; see $PREFIX/install.log"
  [ -f "$SERVER_MAIN" ] || fail "code-server installed, but $SERVER_MAIN is missing; see $PREFIX/install.log"
fi
echo "$SERVER_MAIN"
