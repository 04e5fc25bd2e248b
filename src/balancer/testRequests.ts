// Sends HTTP requests through a running balancer and tells which backend served each one.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { reachableHost } from './hosts';
import type { LoadBalancer } from './loadBalancer';
import type { ConnectionInfo } from './types';

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
 * Sends `count` GET requests one after the other, each on a new connection so that each is
 * balanced. The balancer's own connection events say which backend took each one.
 */
export async function sendTestRequests(
  balancer: LoadBalancer,
  count: number,
  { path = '/', timeoutMs = 5000 }: { path?: string; timeoutMs?: number } = {},
): Promise<TestRequestResult[]> {
  const address = balancer.address();
  if (!address) throw new Error('The balancer is not running.');
  const host = reachableHost(address.host);
  const backendByClientPort = new Map<number, string>();
  const onOpened = (info: ConnectionInfo): void => {
    backendByClientPort.set(Number(info.client.slice(info.client.lastIndexOf(':') + 1)), info.backend);
  };
  balancer.on('connectionOpened', onOpened);
  try {
    const results: TestRequestResult[] = [];
    for (let i = 0; i < count; i++) {
      results.push(await get(host, address.port, path, timeoutMs, backendByClientPort));
    }
    return results;
  } finally {
    balancer.off('connectionOpened', onOpened);
  }
}

function get(host: string, port: number, path: string, timeoutMs: number, backends: Map<number, string>): Promise<TestRequestResult> {
  const started = performance.now();
  return new Promise<Omit<TestRequestResult, 'durationMs'>>((resolve) => {
    let clientPort = 0;
    const req = request({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ backend: backends.get(clientPort), status: res.statusCode, body: body.trim().slice(0, 200) }));
      res.on('error', (error) => resolve({ backend: backends.get(clientPort), error: error.message }));
    });
    req.on('socket', (socket) => socket.once('connect', () => (clientPort = socket.localPort ?? 0)));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ backend: backends.get(clientPort), error: error.message || 'connection closed without an answer' }));
    req.end();
  }).then((result) => ({ ...result, durationMs: performance.now() - started }));
}
