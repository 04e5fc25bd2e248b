#!/usr/bin/env bash
# Cost of one proxied connection on each data path, in instructions (valgrind's callgrind: the same
# count run after run, whatever else the machine does) and in system calls (strace -c). Runs the
# built CLI (npm run build) over a Node backend, with 500 and then 2500 connections of one request
# each, 16 at a time; the difference divided by 2000 leaves start-up and warm-up out.
# Usage: scripts/bench/per-connection.sh [handles sockets]   (needs valgrind and strace)
set -euo pipefail
cd "$(dirname "$0")/../.."
paths=("${@:-handles}")
[ $# -gt 0 ] || paths=(handles sockets)
work=$(mktemp -d /tmp/local-lb-per-connection-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
backend_port=$(free_port)
node -e "require('http').createServer((q, r) => r.end('ok')).listen($backend_port, '127.0.0.1')" &
# N connections of one HTTP/1.0 request each, 16 at a time.
client() {
  node -e "
    const net = require('net'); let left = $2, open = 0;
    const next = () => { if (left === 0) { if (open === 0) process.exit(0); return; } left--; open++;
      const s = net.connect($1, '127.0.0.1', () => s.write('GET / HTTP/1.0\r\n\r\n'));
      s.on('data', () => {}); s.on('close', () => { open--; next(); }); s.on('error', () => {}); };
    for (let i = 0; i < 16; i++) next();"
}
wait_port() { for _ in $(seq 1 600); do node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" && return; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }

# Runs the CLI under $1 (a tool and its arguments, ending in its output file), with $2 connections.
measure() {
  local tool=$1 path=$2 count=$3 port
  port=$(free_port)
  $tool node dist/cli.js -f "$port" -p "$backend_port" --quiet --health off --data-path "$path" >/dev/null 2>&1 &
  local pid=$!
  wait_port "$port"
  client "$port" "$count"
  # The CLI itself, which strace runs as its child (valgrind runs it in its own process).
  pkill -TERM -f "dist/cli.js -f $port " || true
  wait "$pid" || true
}

for path in "${paths[@]}"; do
  for count in 500 2500; do
    measure "valgrind --tool=callgrind --callgrind-out-file=$work/cg.$path.$count" "$path" "$count"
    measure "strace -f -c -o $work/st.$path.$count" "$path" "$count"
  done
  instructions() { grep -m1 '^summary:' "$work/cg.$path.$1" | awk '{print $2}'; }
  syscalls() { awk '$NF == "total" {print $4}' "$work/st.$path.$1"; }
  echo "$path: $(( ($(instructions 2500) - $(instructions 500)) / 2000 )) instructions and" \
    "$(awk "BEGIN {printf \"%.1f\", ($(syscalls 2500) - $(syscalls 500)) / 2000}") system calls per connection"
done
