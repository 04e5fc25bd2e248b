// A reference for the benchmark, not a balancer: the least a proxy built on Node's `net` does per
// connection (accept, connect, copy bytes both ways with backpressure, pass ends and closes on),
// with none of Local LB's work (timeouts, failover, health, statistics, draining). What it costs
// is what any Node proxy costs on this machine, whatever else it does.
// Usage: node dist/bench-node-floor.js PORT BACKEND_PORT...
import { connect, createServer } from 'node:net';

const [port, ...backends] = process.argv.slice(2).map(Number);
let next = 0;

createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
  const upstream = connect({ host: '127.0.0.1', port: backends[next++ % backends.length], allowHalfOpen: true, noDelay: true });
  client.on('data', (chunk: Buffer) => {
    if (!upstream.write(chunk)) client.pause();
  });
  upstream.on('data', (chunk: Buffer) => {
    if (!client.write(chunk)) upstream.pause();
  });
  upstream.on('drain', () => client.resume());
  client.on('drain', () => upstream.resume());
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}).listen({ host: '127.0.0.1', port, backlog: 4096 });
