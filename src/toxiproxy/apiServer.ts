// Toxiproxy's HTTP API (2.x), served over Local LB's pools: the routes of toxiproxy's `api.go`, its
// shapes and status codes, its errors as `{"error", "status"}`, on kept-alive HTTP/1.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, errorCode, serveHttp, type Address, type ErrorCode, type FaultSpec, type HttpService } from '../balancer';
import { refusal } from './apiGuard';
import { proxyMetrics } from './metrics';
import type { ToxiproxyProxies } from './proxies';
import type { ProxyInput } from './proxyInput';

/** The toxiproxy version this API matches: clients switch features on it (the Ruby one uses PATCH from 2.6.0). */
export const TOXIPROXY_VERSION = '2.12.0';
/** A populate of hundreds of proxies fits; a body bigger than this is not a client's. */
const MAX_BODY_BYTES = 1024 * 1024;

export type ToxiproxyApi = HttpService;

interface Answer {
  status: number;
  body?: unknown;
  /** A body sent as it is (Prometheus text), not as JSON. */
  text?: string;
}

const STATUS_BY_CODE = new Map<ErrorCode | undefined, number>([
  ['LLB_NOT_FOUND', 404],
  ['LLB_CONFLICT', 409],
  ['LLB_BAD_VALUE', 400],
  ['LLB_SELF_TEST_FAILED', 500],
]);

/** Serves the API for `proxies` on `at` (toxiproxy's default: localhost:8474); `version` is Local LB's. */
export async function startToxiproxyApi(proxies: ToxiproxyProxies, at: Address, version: string): Promise<ToxiproxyApi> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    answer(proxies, at.host, version, req)
      .then((reply) => send(res, reply))
      .catch((error: unknown) => send(res, failure(error)));
  });
  return serveHttp(server, at, "The toxiproxy API");
}

const PROXY = /^\/proxies\/([^/]+)$/;
const TOXICS = /^\/proxies\/([^/]+)\/toxics$/;
const TOXIC = /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/;

async function answer(proxies: ToxiproxyProxies, host: string, version: string, req: IncomingMessage): Promise<Answer> {
  const refused = refusal(req, host);
  if (refused) return error(403, refused);
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://toxiproxy').pathname;
  const is = (...methods: string[]): boolean => methods.includes(method);
  let match: RegExpExecArray | null;
  if (path === '/metrics' && is('GET')) return { status: 200, text: proxyMetrics(proxies.counters()) };
  if (path === '/version' && is('GET')) return { status: 200, body: { version: TOXIPROXY_VERSION, server: `Local LB ${version}` } };
  if (path === '/reset' && is('POST')) {
    await proxies.reset();
    return { status: 204 };
  }
  if (path === '/proxies' && is('GET')) return { status: 200, body: Object.fromEntries(proxies.list().map((proxy) => [proxy.name, proxy])) };
  if (path === '/proxies' && is('POST')) return { status: 201, body: await proxies.create(await readObject<ProxyInput>(req)) };
  if (path === '/populate' && is('POST')) {
    const { proxies: done, error: failed } = await proxies.populate(await readJson(req));
    if (failed === undefined) return { status: 201, body: { proxies: done } };
    const { status, body } = failure(failed);
    return { status, body: { ...(body as object), proxies: done } };
  }
  if ((match = PROXY.exec(path))) {
    const name = decoded(match[1]);
    if (is('GET')) return { status: 200, body: proxies.show(name) };
    if (is('POST', 'PATCH')) return { status: 200, body: await proxies.update(name, await readObject<ProxyInput>(req)) };
    if (is('DELETE')) {
      await proxies.remove(name);
      return { status: 204 };
    }
  }
  if ((match = TOXICS.exec(path))) {
    const name = decoded(match[1]);
    if (is('GET')) return { status: 200, body: proxies.toxics(name) };
    // Toxiproxy answers a created toxic with 200, not 201.
    if (is('POST')) return { status: 200, body: proxies.addToxic(name, await readObject<FaultSpec>(req)) };
  }
  if ((match = TOXIC.exec(path))) {
    const [name, toxic] = [decoded(match[1]), decoded(match[2])];
    if (is('GET')) return { status: 200, body: proxies.toxic(name, toxic) };
    if (is('POST', 'PATCH')) return { status: 200, body: proxies.updateToxic(name, toxic, await readObject<{ attributes?: unknown; toxicity?: unknown }>(req)) };
    if (is('DELETE')) {
      proxies.removeToxic(name, toxic);
      return { status: 204 };
    }
  }
  return error(isRoute(path) ? 405 : 404, isRoute(path) ? `${method} is not allowed on ${path}` : `not found: ${path}`);
}

function isRoute(path: string): boolean {
  return ['/version', '/metrics', '/reset', '/proxies', '/populate'].includes(path) || PROXY.test(path) || TOXICS.test(path) || TOXIC.test(path);
}

/** A thrown error as toxiproxy tells it: a user's mistake by its code (400, 404, 409), anything else 500. */
function failure(thrown: unknown): Answer {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return error(STATUS_BY_CODE.get(errorCode(thrown)) ?? 500, message);
}

function error(status: number, message: string): Answer {
  return { status, body: { error: message, status } };
}

/** The body as JSON, whatever its content type (clients send several). */
async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ConfigError(`bad request body: over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text === '' ? '{}' : text) as T;
  } catch (thrown) {
    throw new ConfigError(`bad request body: ${(thrown as Error).message}`);
  }
}

/** The body as a JSON object. */
async function readObject<T extends object>(req: IncomingMessage): Promise<T> {
  const body = await readJson<unknown>(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigError('bad request body: expected a JSON object');
  return body as T;
}

/** A path segment as given: a malformed escape is kept as it is, and names nothing that exists. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function send(res: ServerResponse, { status, body, text: plain }: Answer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (plain !== undefined) {
    res.writeHead(status, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(plain) });
    res.end(res.req.method === 'HEAD' ? undefined : plain);
    return;
  }
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
