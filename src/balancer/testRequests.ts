// Sends HTTP requests through a running balancer and tells which backend served each one.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { StateError } from './errors';
import { reachableHost } from './hosts';
import { KeptAliveClient } from './http/keptAliveClient';
import type { LoadBalancer } from './loadBalancer';
import type { ConnectionInfo, RequestInfo } from './types';

export interface TestRequestResult {
  /** Id of the backend that served the request, when it reached one. */
  backend?: string;
  status?: number;
  /** The answer, trimmed and cut to 200 characters. */
  body?: string;
  error?: string;
  /** From sending the request to the end of the answer, or to the error. */
  durationMs: number;
}

/**
 * Sends `count` GET requests one after the other: in TCP mode each on a new connection, so that
 * each is balanced; in HTTP mode all on one kept-alive connection, as a browser does, which the
 * balancer balances per request. The balancer's own events say which backend took each one.
 */
export async function sendTestRequests(
  balancer: LoadBalancer,
  count: number,
  { path = '/', timeoutMs = 5000 }: { path?: string; timeoutMs?: number } = {},
): Promise<TestRequestResult[]> {
  const address = balancer.address();
  if (!address) throw new StateError('LLB_NOT_RUNNING', 'The balancer is not running.');
  const host = reachableHost(address.host);
  // The backends that took the requests of each client port, in order.
  const backendsByClientPort = new Map<number, string[]>();
  const took = (info: ConnectionInfo | RequestInfo): void => {
    const port = Number(info.client.slice(info.client.lastIndexOf(':') + 1));
    if (info.backend) backendsByClientPort.set(port, [...(backendsByClientPort.get(port) ?? []), info.backend]);
  };
  const perRequest = balancer.snapshot().frontend.mode === 'http';
  const kept = perRequest ? new KeptAliveClient(host, address.port) : undefined;
  const backendOf = (clientPort: number): string | undefined => backendsByClientPort.get(clientPort)?.shift();
  balancer.on(perRequest ? 'request' : 'connectionOpened', took);
  try {
    const results: TestRequestResult[] = [];
    for (let i = 0; i < count; i++) {
      results.push(await (kept ? keptAliveGet(kept, path, timeoutMs, backendOf) : get(host, address.port, path, timeoutMs, backendOf)));
    }
    return results;
  } finally {
    balancer.off(perRequest ? 'request' : 'connectionOpened', took);
    kept?.close();
  }
}

async function keptAliveGet(client: KeptAliveClient, path: string, timeoutMs: number, backendOf: (clientPort: number) => string | undefined): Promise<TestRequestResult> {
  const started = performance.now();
  try {
    const { status, body } = await client.get(path, timeoutMs);
    return { backend: backendOf(client.localPort), status, body: body.trim().slice(0, 200), durationMs: performance.now() - started };
  } catch (error) {
    return { backend: backendOf(client.localPort), error: (error as Error).message, durationMs: performance.now() - started };
  }
}

/** One GET on a connection of its own. */
function get(host: string, port: number, path: string, timeoutMs: number, backendOf: (clientPort: number) => string | undefined): Promise<TestRequestResult> {
  const started = performance.now();
  return new Promise<Omit<TestRequestResult, 'durationMs'>>((resolve) => {
    let clientPort = 0;
    const req = request({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ backend: backendOf(clientPort), status: res.statusCode, body: body.trim().slice(0, 200) }));
      res.on('error', (error) => resolve({ backend: backendOf(clientPort), error: error.message }));
    });
    req.on('socket', (socket) => socket.once('connect', () => (clientPort = socket.localPort ?? 0)));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ backend: backendOf(clientPort), error: error.message || 'connection closed without an answer' }));
    req.end();
  }).then((result) => ({ ...result, durationMs: performance.now() - started }));
}
