#!/usr/bin/env bash
# Installs the frameworks the launch tests start real apps with, from Debian: FastAPI under
# uvicorn, Django, gunicorn and Go (Express comes from npm, as a dev dependency). Idempotent.
set -euo pipefail
packages=(python3-flask python3-fastapi python3-uvicorn python3-django gunicorn golang-go)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-frameworks: installing ${missing[*]} with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
