#!/usr/bin/env bash
# Installs what `npm run bench` compares against and measures with: wrk, HAProxy and nginx from
# Debian. Idempotent. The benchmark still runs without HAProxy or nginx, and says so.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
packages=()
# libnginx-mod-stream: nginx's TCP proxying, which the export tests run (Debian builds it as a module).
for package in wrk haproxy nginx-light libnginx-mod-stream; do
  dpkg -s "$package" >/dev/null 2>&1 || packages+=("$package")
done
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup-bench: installing ${packages[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
# Debian starts these as services on install; the benchmark runs its own on free ports.
for service in nginx haproxy; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then $sudo systemctl stop "$service" || true; fi
done
