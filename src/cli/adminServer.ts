// The CLI's admin endpoint, for every pool: GET /stats (JSON), GET /metrics (Prometheus text), the
// fault API, and the traffic panel (GET /, its data at GET /traffic).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { MergedRecords, serveHttp, SIDE_BY_SIDE, type Address, type HttpService } from '../balancer';
import { mainPool, type AdminPool, type AdminPools } from './adminPools';
import { faultRoute } from './faultRoutes';
import { panelRoute } from './panelRoutes';
import { formatMetrics, type PoolSnapshot } from './prometheus';

export type AdminServer = HttpService;

export async function startAdminServer(pools: AdminPools, at: Address): Promise<AdminServer> {
  const allPools = new MergedRecords(SIDE_BY_SIDE);
  const server = createServer((req, res) => {
    respond(pools(), allPools, req, res).catch((error: unknown) => failed(res, error));
  });
  return serveHttp(server, at, 'The admin endpoint');
}

async function respond(pools: readonly AdminPool[], allPools: MergedRecords, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const path = url.pathname;
  const answer = await faultRoute(pools, req, path);
  const read = req.method === 'GET' || req.method === 'HEAD';
  const panel = !answer && read ? await panelRoute(pools, allPools, req, url) : undefined;
  if (panel) {
    send(res, panel.status, panel.type, panel.body, panel.headers);
  } else if (answer) {
    if (answer.status === 204) {
      res.writeHead(204).end();
    } else {
      send(res, answer.status, 'application/json; charset=utf-8', `${JSON.stringify(answer.body, null, 2)}\n`);
    }
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'Only GET is supported.\n', { Allow: 'GET, HEAD' });
  } else if (path === '/stats') {
    const snapshots = await snapshotsOf(pools);
    const main = mainPool(pools);
    const top = snapshots.find(({ name }) => name === main?.name)?.snapshot;
    // The main pool's statistics stay at the top level, where they were before pools.
    const body = { ...top, pools: snapshots.map(({ name, snapshot }) => ({ name, ...snapshot })) };
    send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`);
  } else if (path === '/metrics') {
    send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', formatMetrics(await snapshotsOf(pools)));
  } else {
    send(res, 404, 'text/plain; charset=utf-8', 'Not found. Try / (the traffic panel), /stats, /metrics, /traffic, /traffic.har or /pools/{pool}/backends/{id}/toxics.\n');
  }
}

function snapshotsOf(pools: readonly AdminPool[]): Promise<PoolSnapshot[]> {
  return Promise.all(pools.map(async ({ name, statistics }) => ({ name, snapshot: await statistics.snapshot() })));
}

/** A route threw: the client is told so, naming the error, and the endpoint serves on. */
function failed(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, 500, 'application/json; charset=utf-8', `${JSON.stringify({ error: `The admin endpoint failed: ${message}` }, null, 2)}\n`);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
