#!/usr/bin/env bash
# Cost of one proxied connection on each data path (costs.sh says how): 500 and then 2500
# connections of one request each, 16 at a time.
# Usage: scripts/bench/per-connection.sh [handles sockets]   (needs valgrind and strace)
SMALL=500
LARGE=2500
UNIT=connection
CLI_ARGS=()
# N connections of one HTTP/1.0 request each, 16 at a time.
client() {
  node -e "
    const net = require('net'); let left = $2, open = 0;
    const next = () => { if (left === 0) { if (open === 0) process.exit(0); return; } left--; open++;
      const s = net.connect($1, '127.0.0.1', () => s.write('GET / HTTP/1.0\r\n\r\n'));
      s.on('data', () => {}); s.on('close', () => { open--; next(); }); s.on('error', () => {}); };
    for (let i = 0; i < 16; i++) next();"
}
source "$(dirname "$0")/costs.sh"
