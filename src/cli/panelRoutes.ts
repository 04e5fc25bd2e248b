// The admin endpoint's traffic panel, read only: the page (the VS Code panel's own script and
// styles), GET /traffic with what is new since a cursor, and GET /traffic.har with what was recorded.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { version } from '../../package.json';
import { ALL_POOLS, detailsAnswer, formatAddress, isLoopbackHost, MergedRecords, toHar, toUpdate, type TrafficCursor, type TrafficRecord } from '../balancer';
import { trafficPage } from '../webview/traffic/page';
import { mainPool, poolNames, type AdminPool } from './adminPools';
import { foreignHost } from './hostCheck';

export interface PanelAnswer {
  status: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** The panel's files, built next to the CLI (dist/webview). */
const FILES: Record<string, { file: string; type: string }> = {
  '/panel/traffic.js': { file: 'traffic.js', type: 'text/javascript; charset=utf-8' },
  '/panel/traffic.css': { file: 'traffic.css', type: 'text/css; charset=utf-8' },
};
const TEXT = 'text/plain; charset=utf-8';

/**
 * Answers a GET on a panel route, or `undefined` when the path is not one. `allPools` merges every
 * pool's record for `?pool=*`, for all the pages that ask.
 */
export async function panelRoute(pools: readonly AdminPool[], allPools: MergedRecords, req: IncomingMessage, url: URL): Promise<PanelAnswer | undefined> {
  const path = url.pathname;
  if (path !== '/' && path !== '/traffic' && path !== '/traffic.har' && path !== '/traffic/details' && !(path in FILES)) return undefined;
  const foreign = foreignHost(req, 'The traffic panel is served') ?? (isLoopbackHost(req.socket.remoteAddress ?? '') ? undefined : 'The traffic panel is served to this machine only.');
  if (foreign) return { status: 403, type: TEXT, body: `${foreign}\n` };
  if (path === '/traffic.har') return harAnswer(pools, url);
  if (path === '/traffic/details') return rowDetails(pools, url);
  if (path === '/traffic') {
    const cursor = cursorOf(url);
    if (typeof cursor === 'string') return { status: 400, type: TEXT, body: `${cursor}\n` };
    const every = url.searchParams.get('pool') === ALL_POOLS;
    const pool = every ? undefined : poolOf(pools, url);
    if (pool && 'status' in pool) return pool;
    const record = pool ? await pool.traffic.record(cursor) : await everyPool(pools, allPools, cursor);
    // The page offers the other pools when there are several.
    const body = { ...toUpdate(record), pool: pool?.name ?? ALL_POOLS, pools: pools.map((candidate) => candidate.name) };
    return { status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(body), headers: { 'Cache-Control': 'no-store' } };
  }
  if (path === '/') {
    const nonce = randomBytes(16).toString('base64');
    const page = trafficPage({ script: 'panel/traffic.js', style: 'panel/traffic.css', cspSource: "'self'", connectSource: "'self'", nonce });
    return { status: 200, type: 'text/html; charset=utf-8', body: page, headers: { 'Content-Security-Policy': `default-src 'none'; style-src 'self'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:` } };
  }
  const { file, type } = FILES[path];
  try {
    return { status: 200, type, body: await readFile(join(__dirname, 'webview', file)) };
  } catch {
    return { status: 404, type: TEXT, body: `The panel's ${file} is missing next to local-lb (dist/webview/): build it with npm run build.\n` };
  }
}

/** GET /traffic.har[?pool=NAME][&secrets=shown]: the requests recorded, as HAR 1.2, secrets masked unless asked. */
async function harAnswer(pools: readonly AdminPool[], url: URL): Promise<PanelAnswer> {
  const pool = poolOf(pools, url);
  if ('status' in pool) return pool;
  const secrets = url.searchParams.get('secrets');
  if (secrets !== null && secrets !== 'shown') return { status: 400, type: TEXT, body: `Bad secrets=${JSON.stringify(secrets)}: give secrets=shown to show Authorization and cookies as they were, or leave it out to mask them.\n` };
  const { frontend } = await pool.statistics.snapshot();
  const har = toHar(pool.traffic.detailed(), { frontend: formatAddress(frontend), showSecrets: secrets === 'shown', creator: { name: 'Local LB', version } });
  const file = `local-lb-${pool.name}.har`;
  return { status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(har, null, 2), headers: { 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${file}"` } };
}

/** GET /traffic/details?seq=N[&pool=NAME]: row N's details for the page's pane, secrets masked. */
async function rowDetails(pools: readonly AdminPool[], url: URL): Promise<PanelAnswer> {
  const pool = poolOf(pools, url);
  if ('status' in pool) return pool;
  const seqText = url.searchParams.get('seq') ?? '';
  if (!/^[1-9]\d{0,14}$/.test(seqText)) return { status: 400, type: TEXT, body: `Bad seq=${JSON.stringify(seqText)}: /traffic/details takes ?seq=N, a row's seq from /traffic.\n` };
  const seq = Number(seqText);
  const { frontend } = await pool.statistics.snapshot();
  const answer = detailsAnswer(seq, pool.traffic.entry(seq), formatAddress(frontend), false);
  return { status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(answer), headers: { 'Cache-Control': 'no-store' } };
}

/** The pool `?pool=NAME` names (none: the endpoint's main pool), or a 404 naming the pools there are. */
function poolOf(pools: readonly AdminPool[], url: URL): AdminPool | PanelAnswer {
  const name = url.searchParams.get('pool');
  const pool = name === null ? (mainPool(pools) ?? pools[0]) : pools.find((candidate) => candidate.name === name);
  return pool ?? { status: 404, type: TEXT, body: `${name === null ? 'There is no pool.' : `Unknown pool ${JSON.stringify(name)}.`} The pools are ${poolNames(pools)}.\n` };
}

/** Every pool's record side by side. */
async function everyPool(pools: readonly AdminPool[], allPools: MergedRecords, cursor?: TrafficCursor): Promise<TrafficRecord> {
  const records = await Promise.all(pools.map(async ({ name, traffic }) => ({ key: name, record: await traffic.record(allPools.cursorOf(name, cursor)) })));
  return allPools.merge(records, cursor);
}

/** `?second=S&seq=N`, both or neither: a cursor, or why the query is not one. */
function cursorOf(url: URL): TrafficCursor | undefined | string {
  const second = url.searchParams.get('second');
  const seq = url.searchParams.get('seq');
  if (second === null && seq === null) return undefined;
  for (const [name, value] of [['second', second], ['seq', seq]] as const) {
    if (value === null || !/^\d{1,15}$/.test(value)) return `Bad ${name}=${JSON.stringify(value ?? '')}: /traffic takes ?second=S&seq=N, two whole numbers from the last answer's cursor.`;
  }
  return { second: Number(second), seq: Number(seq) };
}
