// A worker process of `local-lb --workers N`: a balancer per pool on the main process's listening
// sockets. The main process checks health, counts for /stats and decides when to stop; a worker proxies.
import type { Server } from 'node:net';
import { LoadBalancer } from '../balancer';
import { logConnections } from './connectionLog';
import { logEntry } from './log';
import { TrafficLease } from './trafficFeed';
import type { FromWorker, ToWorker } from './workerProtocol';

interface ServedPool {
  balancer: LoadBalancer;
  traffic: TrafficLease;
  /** The last traffic entry the main process was given. */
  sentSeq: number;
}

export function runWorker(): void {
  const send = (message: FromWorker): void => {
    if (process.connected) process.send?.(message);
  };
  const pools = new Map<string, ServedPool>();
  // Ctrl-C reaches every process of the terminal's group; the main process decides for all.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  process.on('message', (message: ToWorker, server?: Server) => {
    if (message.type === 'stop') {
      stop(message.drainMs);
      return;
    }
    const pool = pools.get(message.pool);
    switch (message.type) {
      case 'start': {
        if (pool || !server) return;
        const balancer = new LoadBalancer({ ...message.options, health: false });
        pools.set(message.pool, { balancer, traffic: new TrafficLease(balancer), sentSeq: 0 });
        // Lifecycle lines come from the main process; a worker speaks of its own trouble.
        balancer.on('log', (entry) => entry.level !== 'info' && logEntry(entry, message.prefix));
        if (!message.quiet) logConnections(balancer, message.prefix);
        for (const { backend, health } of message.health) balancer.applyHealth(backend, health, 'checked by the main process');
        balancer.start(server).then(
          () => send({ type: 'started', pool: message.pool }),
          (error: Error) => {
            logEntry({ level: 'error', message: `A worker could not serve the port: ${error.message}` }, message.prefix);
            process.exitCode = 1;
            if (process.connected) process.disconnect();
          },
        );
        return;
      }
      case 'health':
        for (const { backend, health } of message.health) pool?.balancer.applyHealth(backend, health, message.reason);
        return;
      case 'fault': {
        const { change, backend } = message;
        if (!pool) return;
        try {
          if ('clear' in change) pool.balancer.clearFaults();
          else if (backend && 'add' in change) pool.balancer.addFault(backend, change.add);
          else if (backend && 'remove' in change) pool.balancer.removeFault(backend, change.remove);
        } catch (error) {
          // The main process checked the change; a worker out of step says so and serves on.
          logEntry({ level: 'warn', message: `A worker could not apply a fault change: ${(error as Error).message}` });
        }
        return;
      }
      case 'snapshot':
        if (pool) send({ type: 'snapshot', id: message.id, snapshot: pool.balancer.snapshot() });
        return;
      case 'traffic':
        if (pool) {
          pool.traffic.renew();
          const record = pool.balancer.traffic.read({ second: message.second, seq: pool.sentSeq });
          pool.sentSeq = record.cursor.seq;
          send({ type: 'traffic', id: message.id, record });
        }
        return;
    }
  });
  // The main process is gone (even killed): nothing must keep its ports open.
  process.on('disconnect', () => stop(0));

  function stop(drainMs: number): void {
    void Promise.all([...pools.values()].map(({ balancer }) => balancer.stop({ drainMs }))).then(() => {
      // Without the channel nothing is left to keep the process alive: it exits.
      if (process.connected) process.disconnect();
    });
  }
}
