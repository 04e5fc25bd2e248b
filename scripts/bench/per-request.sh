#!/usr/bin/env bash
# Cost of one kept-alive request in HTTP mode on each data path (costs.sh says how): 2000 and then
# 10000 requests over 16 kept-alive connections, one at a time on each, so that connections are
# left out too.
# Usage: scripts/bench/per-request.sh [handles sockets]   (needs valgrind and strace)
SMALL=2000
LARGE=10000
UNIT='kept-alive request in HTTP mode'
CLI_ARGS=(--mode http)
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
source "$(dirname "$0")/costs.sh"
