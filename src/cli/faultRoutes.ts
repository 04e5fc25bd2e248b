// The admin endpoint's fault API, in toxiproxy's shapes: list, add and remove a backend's faults
// (`/pools/{pool}/backends/{id}/toxics`, or `/backends/{id}/toxics` for the main pool), remove them all.
import type { IncomingMessage } from 'node:http';
import { ConfigError, errorCode, type ErrorCode, type FaultSpec } from '../balancer';
import { mainPool, poolNames, type AdminPool } from './adminPools';
import { foreignHost } from './hostCheck';

export interface Answer {
  status: number;
  body?: unknown;
}

const TOXICS = /^(?:\/pools\/([^/]+))?\/backends\/([^/]+)\/toxics(?:\/([^/]+))?$/;
/** The most a fault's JSON may weigh: a few hundred bytes are plenty. */
const MAX_BODY_BYTES = 16 * 1024;

/** Answers a request on a fault route, or `undefined` when the path is not one. */
export async function faultRoute(pools: readonly AdminPool[], req: IncomingMessage, path: string): Promise<Answer | undefined> {
  const match = TOXICS.exec(path);
  if (!match && path !== '/reset') return undefined;
  const method = req.method ?? 'GET';
  const mutating = method !== 'GET' && method !== 'HEAD';
  if (mutating) {
    const refusal = refuseFromBrowsers(req);
    if (refusal) return { status: 403, body: { error: refusal } };
  }
  if (path === '/reset') {
    if (method !== 'POST') return { status: 405, body: { error: 'Use POST /reset.' } };
    for (const pool of pools) pool.statistics.clearFaults();
    return { status: 204 };
  }
  const [, rawPool, rawBackend, rawName] = match as RegExpExecArray;
  const poolName = rawPool === undefined ? undefined : decoded(rawPool);
  const pool = poolName === undefined ? mainPool(pools) : pools.find((candidate) => candidate.name === poolName);
  if (!pool) {
    const error = poolName === undefined ? 'There is no pool "default": name the pool, as in /pools/{pool}/backends/{id}/toxics.' : `Unknown pool ${JSON.stringify(poolName)}.`;
    return { status: 404, body: { error: `${error} The pools are ${poolNames(pools)}.` } };
  }
  const control = pool.statistics;
  const backend = decoded(rawBackend);
  try {
    // An unknown backend is a 404 whatever else is wrong with the request.
    control.faults(backend);
    if (rawName !== undefined) {
      if (method !== 'DELETE') return { status: 405, body: { error: 'Use DELETE to remove a fault.' } };
      control.removeFault(backend, decoded(rawName));
      return { status: 204 };
    }
    if (method === 'GET' || method === 'HEAD') return { status: 200, body: control.faults(backend) };
    if (method !== 'POST') return { status: 405, body: { error: 'Use GET to list faults, POST to add one.' } };
    return { status: 200, body: control.addFault(backend, await readSpec(req)) };
  } catch (error) {
    const status = STATUS_BY_CODE.get(errorCode(error));
    if (status === undefined) throw error;
    return { status, body: { error: (error as Error).message } };
  }
}

/** What a user got wrong, as toxiproxy answers it: an unknown name 404, a name taken 409, a bad value 400. */
const STATUS_BY_CODE = new Map<ErrorCode | undefined, number>([
  ['LLB_NOT_FOUND', 404],
  ['LLB_CONFLICT', 409],
  ['LLB_BAD_VALUE', 400],
]);

/**
 * A web page can send requests to loopback, and a rebound DNS name can make them look like its own:
 * a change is taken only with a JSON content type (which a page cannot send without asking first)
 * and a Host that names this machine.
 */
function refuseFromBrowsers(req: IncomingMessage): string | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return 'Changes need Content-Type: application/json.';
  return foreignHost(req, 'Changes are taken');
}

/** A path segment as given: a malformed escape is kept as it is, and names nothing that exists. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readSpec(req: IncomingMessage): Promise<FaultSpec> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ConfigError(`The body is over ${MAX_BODY_BYTES} bytes: a fault is a small JSON object.`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new ConfigError(`The body is not JSON: ${(error as Error).message}.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConfigError('The body must be a JSON object: {"type", "stream", "toxicity", "attributes", "name"}.');
  }
  return body as FaultSpec;
}
