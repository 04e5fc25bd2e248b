// Words and numbers the extension shows: tree labels and descriptions, tooltips, the status bar
// text, summaries. Pure, so that they can be tested without VS Code.
import {
  formatAddress,
  shortLabel,
  type BackendSnapshot,
  type BackendSpec,
  type BackendState,
  type BalancerSnapshot,
  type FaultSnapshot,
  type FrontendSnapshot,
  type TestRequestResult,
} from '../balancer';
import { t } from './l10n';
import type { TerminalState } from './backendTerminals';

/** `:8101` for a backend on 127.0.0.1, `host:port` elsewhere, or its name. */
export function backendLabel(backend: BackendSpec): string {
  return shortLabel(backend);
}

export function frontendLabel(frontend: Pick<FrontendSnapshot, 'host' | 'port'>): string {
  return backendLabel(frontend);
}

export function stateLabel(state: BackendState): string {
  switch (state) {
    case 'up':
      return t('up');
    case 'down':
      return t('down');
    case 'unknown':
      return t('checking');
    case 'disabled':
      return t('disabled');
    case 'draining':
      return t('draining');
  }
}

/** Whole percents; a share too small to round to 1% still shows that there is one. */
export function formatShare(percent: number): string {
  if (percent > 0 && percent < 0.5) return '<1%';
  return `${Math.round(percent)}%`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * TCP mode: `listening · 2 active · 30 total` (connections); HTTP mode: `sticky · 1 active · 30
 * requests` (the counts say it listens, and the line stays short enough for a narrow sidebar).
 */
export function frontendDescription(frontend: FrontendSnapshot): string {
  if (!frontend.listening) return t('stopped');
  const { requests } = frontend;
  if (!requests) return t('listening · {0} active · {1} total', frontend.activeConnections, frontend.totalConnections);
  return [...(frontend.sticky ? [t('sticky')] : []), t('{0} active', requests.active), t('{0} requests', requests.total)].join(' · ');
}

/** A pool's row among several: `:8080 3/3 · 120 requests` (connections in TCP mode), `:8080 stopped` when not listening. */
export function poolDescription(frontend: FrontendSnapshot, backends: readonly BackendSnapshot[]): string {
  const where = frontendLabel(frontend);
  if (!frontend.listening) return `${where} ${t('stopped')}`;
  const { healthy, total } = healthCounts({ backends });
  const count = frontend.requests ? frontend.requests.total : frontend.totalConnections;
  const served = frontend.requests ? (count === 1 ? t('1 request') : t('{0} requests', count)) : count === 1 ? t('1 connection') : t('{0} connections', count);
  return `${where} ${healthy}/${total} · ${served}`;
}

/**
 * `up · 4 active · 33%` while balancing (connections in TCP mode, requests in HTTP mode), with
 * `weight 3` when not 1; when stopped, whether the copy launched on it runs. (The tooltip says more; the
 * description stays short enough for a narrow sidebar.)
 */
export function backendDescription(backend: BackendSnapshot, running: boolean, terminal?: TerminalState): string {
  const marks = [...(backend.faults?.some((fault) => !fault.dormant) ? [t('faulty')] : []), ...(backend.weight !== undefined && backend.weight !== 1 ? [t('weight {0}', backend.weight)] : [])];
  const active = backend.requests ? backend.requests.active : backend.activeConnections;
  if (running) return [stateLabel(backend.state), ...marks, t('{0} active', active), formatShare(backend.sharePercent)].join(' · ');
  return [terminal?.running ? t('not balancing · {0} running', terminal.label) : t('not balancing'), ...marks].join(' · ');
}

/** A fault's name, and `HTTP mode only` while it cannot act. */
export function faultDescription(fault: FaultSnapshot): string {
  return fault.dormant ? t('{0} · HTTP mode only', fault.name) : fault.name;
}

/** Faults on, over every backend; with `acting`, only those that act in the mode serving. */
export function faultCount(snapshot: BalancerSnapshot, acting = false): number {
  return snapshot.backends.reduce((count, backend) => count + (backend.faults?.filter((fault) => !acting || !fault.dormant).length ?? 0), 0);
}

/** Backends that take traffic (up, or not checked yet) and all backends. */
export function healthCounts(snapshot: { backends: readonly BackendSnapshot[] }): { healthy: number; down: number; total: number } {
  const states = snapshot.backends.map((backend) => backend.state);
  return {
    healthy: states.filter((state) => state === 'up' || state === 'unknown').length,
    down: states.filter((state) => state === 'down').length,
    total: states.length,
  };
}

export type Severity = 'ok' | 'warning' | 'error';

/** A pool's name and its statistics, as the status bar sums them up. */
export interface PoolSnapshot {
  name: string;
  snapshot: BalancerSnapshot;
}

/**
 * One pool: `$(radio-tower) :8080 3/3` (as before pools); several: `$(radio-tower) 2 pools · 5/6`
 * (`1/2 pools · 3/3` while some are stopped), the running pools' backends taking traffic of all.
 * `$(circle-slash) LB off` when none runs.
 */
export function statusBarText(pools: readonly PoolSnapshot[]): string {
  // Faults are easy to forget: their count stays in sight while any acts.
  const faults = pools.reduce((count, { snapshot }) => count + faultCount(snapshot, true), 0);
  const zap = faults > 0 ? ` $(zap) ${faults}` : '';
  const running = pools.filter(({ snapshot }) => snapshot.frontend.listening);
  if (running.length === 0) return `$(circle-slash) ${t('LB off')}${zap}`;
  const { healthy, total } = summedCounts(running);
  const where =
    pools.length === 1 ? frontendLabel(pools[0].snapshot.frontend) : running.length === pools.length ? t('{0} pools ·', pools.length) : t('{0}/{1} pools ·', running.length, pools.length);
  return `$(radio-tower) ${where} ${healthy}/${total}${zap}`;
}

/** The worst of the running pools: a warning when some backends are down, an error when a pool has none taking traffic. */
export function statusBarSeverity(pools: readonly PoolSnapshot[]): Severity {
  const order: Severity[] = ['ok', 'warning', 'error'];
  return pools.reduce<Severity>((worst, { snapshot }) => {
    const severity = poolSeverity(snapshot);
    return order.indexOf(severity) > order.indexOf(worst) ? severity : worst;
  }, 'ok');
}

function poolSeverity(snapshot: BalancerSnapshot): Severity {
  if (!snapshot.frontend.listening) return 'ok';
  const { healthy, down, total } = healthCounts(snapshot);
  if (total === 0 || healthy === 0) return 'error';
  return down > 0 ? 'warning' : 'ok';
}

export function statusBarTooltip(pools: readonly PoolSnapshot[]): string {
  if (!pools.some(({ snapshot }) => snapshot.frontend.listening)) return t('Local LB is stopped. Click for actions.');
  if (pools.length === 1) return poolTooltip(pools[0].snapshot);
  return [...pools.map(({ name, snapshot }) => `${name}: ${snapshot.frontend.listening ? poolTooltip(snapshot, false) : t('stopped')}`), t('Click for actions.')].join('\n');
}

function poolTooltip(snapshot: BalancerSnapshot, withAction = true): string {
  const { healthy, down, total } = healthCounts(snapshot);
  const line = t('Local LB on {0}: {1} of {2} backends take traffic, {3} down; {4} connections open.', formatAddress(snapshot.frontend), healthy, total, down, snapshot.frontend.activeConnections);
  return withAction ? `${line} ${t('Click for actions.')}` : line;
}

function summedCounts(pools: readonly PoolSnapshot[]): { healthy: number; total: number } {
  return pools.reduce((sum, { snapshot }) => {
    const { healthy, total } = healthCounts(snapshot);
    return { healthy: sum.healthy + healthy, total: sum.total + total };
  }, { healthy: 0, total: 0 });
}

/** `10 requests: :8101 4, :8102 3, :8103 3` in the backends' order, plus how many failed. */
export function testRequestsSummary(results: readonly TestRequestResult[], backends: readonly BackendSnapshot[]): string {
  const tally = new Map(backends.map((backend) => [backend.id, { answered: 0, failed: 0, ms: 0 }]));
  let unplaced = 0;
  for (const { backend, error, durationMs } of results) {
    const entry = backend ? tally.get(backend) : undefined;
    if (!entry) unplaced++;
    else if (error) entry.failed++;
    else {
      entry.answered++;
      entry.ms += durationMs;
    }
  }
  const labels = new Map(backends.map((backend) => [backend.id, backendLabel(backend)]));
  const parts = [...tally].map(([id, { answered, failed, ms }]) => {
    const timing = answered > 0 ? ` ${t('in {0} ms', Math.round(ms / answered))}` : '';
    return `${labels.get(id) ?? id} ${answered}${timing}${failed > 0 ? `, ${t('{0} failed', failed)}` : ''}`;
  });
  if (unplaced > 0) parts.push(t('{0} failed before reaching a backend', unplaced));
  return t('{0} requests: {1}', results.length, parts.join('; '));
}
