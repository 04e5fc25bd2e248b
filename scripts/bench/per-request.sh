#!/usr/bin/env bash
# Cost of one kept-alive request in HTTP mode, in instructions (valgrind's callgrind: the same count
# run after run) and in system calls (strace -c). Runs the built CLI (npm run build) in HTTP mode
# over a Node backend, with 2000 and then 10000 requests over 16 kept-alive connections, one request
# at a time on each; the difference divided by 8000 leaves start-up, warm-up and connections out.
# Usage: scripts/bench/per-request.sh [handles sockets]   (needs valgrind and strace)
set -euo pipefail
cd "$(dirname "$0")/../.."
paths=("${@:-handles}")
[ $# -gt 0 ] || paths=(handles sockets)
work=$(mktemp -d /tmp/local-lb-per-request-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
backend_port=$(free_port)
node -e "require('http').createServer((q, r) => r.end('ok')).listen($backend_port, '127.0.0.1')" &
# N GETs over 16 kept-alive connections, the next on a connection once its answer came.
client() {
  node -e "
    const net = require('net'); let left = $2, open = 0;
    const run = () => { open++; const s = net.connect($1, '127.0.0.1'); let seen = '';
      const next = () => { if (left === 0) { s.end(); return; } left--; s.write('GET / HTTP/1.1\r\nHost: local\r\n\r\n'); };
      s.on('connect', next);
      s.on('data', (d) => { seen += d; let at; while ((at = seen.indexOf('ok')) >= 0) { seen = seen.slice(at + 2); next(); } });
      s.on('close', () => { if (--open === 0) process.exit(0); }); s.on('error', () => {}); };
    for (let i = 0; i < 16; i++) run();"
}
wait_port() { for _ in $(seq 1 600); do node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" && return; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }

# Runs the CLI in HTTP mode under $1 (a tool and its arguments, ending in its output file), with $3 requests.
measure() {
  local tool=$1 path=$2 count=$3 port
  port=$(free_port)
  $tool node dist/cli.js -f "$port" -p "$backend_port" --quiet --health off --mode http --data-path "$path" >/dev/null 2>&1 &
  local pid=$!
  wait_port "$port"
  client "$port" "$count"
  pkill -TERM -f "dist/cli.js -f $port " || true
  wait "$pid" || true
}

for path in "${paths[@]}"; do
  for count in 2000 10000; do
    measure "valgrind --tool=callgrind --callgrind-out-file=$work/cg.$path.$count" "$path" "$count"
    measure "strace -f -c -o $work/st.$path.$count" "$path" "$count"
  done
  instructions() { grep -m1 '^summary:' "$work/cg.$path.$1" | awk '{print $2}'; }
  syscalls() { awk '$NF == "total" {print $4}' "$work/st.$path.$1"; }
  echo "$path: $(( ($(instructions 10000) - $(instructions 2000)) / 8000 )) instructions and" \
    "$(awk "BEGIN {printf \"%.2f\", ($(syscalls 10000) - $(syscalls 2000)) / 8000}") system calls per kept-alive request in HTTP mode"
done
