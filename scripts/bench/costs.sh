#!/usr/bin/env bash
# Sourced by per-connection.sh and per-request.sh: what one unit of work (a connection, a request)
# costs the built CLI (npm run build), in instructions (valgrind's callgrind: the same count run
# after run, whatever else the machine does) and in system calls (strace -c). The CLI runs over a
# Node backend twice, with SMALL and then LARGE units; the difference divided by LARGE - SMALL
# leaves start-up and warm-up out. The caller defines `client PORT COUNT`, sets SMALL, LARGE, UNIT
# (as the result names it) and CLI_ARGS (an array), and passes on the data paths asked for.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
paths=("${@:-handles}")
[ $# -gt 0 ] || paths=(handles sockets)
work=$(mktemp -d /tmp/local-lb-costs-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
backend_port=$(free_port)
node -e "require('http').createServer((q, r) => r.end('ok')).listen($backend_port, '127.0.0.1')" &
wait_port() { for _ in $(seq 1 600); do node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" && return; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }

# Runs the CLI under $1 (a tool and its arguments, ending in its output file) on data path $2, with $3 units.
measure() {
  local tool=$1 path=$2 count=$3 port
  port=$(free_port)
  $tool node dist/cli.js -f "$port" -p "$backend_port" --quiet --health off --data-path "$path" "${CLI_ARGS[@]}" >/dev/null 2>&1 &
  local pid=$!
  wait_port "$port"
  client "$port" "$count"
  # The CLI itself, which strace runs as its child (valgrind runs it in its own process).
  pkill -TERM -f "dist/cli.js -f $port " || true
  wait "$pid" || true
}

for path in "${paths[@]}"; do
  for count in "$SMALL" "$LARGE"; do
    measure "valgrind --tool=callgrind --callgrind-out-file=$work/cg.$path.$count" "$path" "$count"
    measure "strace -f -c -o $work/st.$path.$count" "$path" "$count"
  done
  instructions() { grep -m1 '^summary:' "$work/cg.$path.$1" | awk '{print $2}'; }
  syscalls() { awk '$NF == "total" {print $4}' "$work/st.$path.$1"; }
  echo "$path: $(( ($(instructions "$LARGE") - $(instructions "$SMALL")) / (LARGE - SMALL) )) instructions and" \
    "$(awk "BEGIN {printf \"%.2f\", ($(syscalls "$LARGE") - $(syscalls "$SMALL")) / ($LARGE - $SMALL)}") system calls per $UNIT"
done
