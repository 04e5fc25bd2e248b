// A worker process of `local-lb --workers N`: a balancer on the main process's listening socket.
// The main process checks health, counts for /stats and decides when to stop; a worker proxies.
import type { Server } from 'node:net';
import { LoadBalancer } from '../balancer';
import { logConnections } from './connectionLog';
import { logEntry } from './log';
import { TrafficLease } from './trafficFeed';
import type { FromWorker, ToWorker } from './workerProtocol';

export function runWorker(): void {
  const send = (message: FromWorker): void => {
    if (process.connected) process.send?.(message);
  };
  let balancer: LoadBalancer | undefined;
  let traffic: TrafficLease | undefined;
  /** The last entry the main process was given. */
  let sentSeq = 0;
  // Ctrl-C reaches every process of the terminal's group; the main process decides for all.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  process.on('message', (message: ToWorker, server?: Server) => {
    switch (message.type) {
      case 'start': {
        if (balancer || !server) return;
        const started = new LoadBalancer({ ...message.options, health: false });
        balancer = started;
        traffic = new TrafficLease(started);
        // Lifecycle lines come from the main process; a worker speaks of its own trouble.
        started.on('log', (entry) => entry.level !== 'info' && logEntry(entry));
        if (!message.quiet) logConnections(started);
        for (const { backend, health } of message.health) started.applyHealth(backend, health, 'checked by the main process');
        started.start(server).then(
          () => send({ type: 'started' }),
          (error: Error) => {
            logEntry({ level: 'error', message: `A worker could not serve the port: ${error.message}` });
            process.exitCode = 1;
            if (process.connected) process.disconnect();
          },
        );
        return;
      }
      case 'health':
        for (const { backend, health } of message.health) balancer?.applyHealth(backend, health, message.reason);
        return;
      case 'fault': {
        const { change, backend } = message;
        if (!balancer) return;
        try {
          if ('clear' in change) balancer.clearFaults();
          else if (backend && 'add' in change) balancer.addFault(backend, change.add);
          else if (backend && 'remove' in change) balancer.removeFault(backend, change.remove);
        } catch (error) {
          // The main process checked the change; a worker out of step says so and serves on.
          logEntry({ level: 'warn', message: `A worker could not apply a fault change: ${(error as Error).message}` });
        }
        return;
      }
      case 'snapshot':
        if (balancer) send({ type: 'snapshot', id: message.id, snapshot: balancer.snapshot() });
        return;
      case 'traffic':
        if (balancer && traffic) {
          traffic.renew();
          const record = balancer.traffic.read({ second: message.second, seq: sentSeq });
          sentSeq = record.cursor.seq;
          send({ type: 'traffic', id: message.id, record });
        }
        return;
      case 'stop':
        stop(message.drainMs);
        return;
    }
  });
  // The main process is gone (even killed): nothing must keep its port open.
  process.on('disconnect', () => stop(0));

  function stop(drainMs: number): void {
    void (balancer?.stop({ drainMs }) ?? Promise.resolve()).then(() => {
      // Without the channel nothing is left to keep the process alive: it exits.
      if (process.connected) process.disconnect();
    });
  }
}
