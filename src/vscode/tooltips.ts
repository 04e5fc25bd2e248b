// The hovers of the Backends view: a table of what the frontend or a backend is and did, in
// Markdown, with what came from users and sockets escaped.
import { describeFault, formatAddress, type BackendSnapshot, type DataPathName, type FaultSnapshot, type FrontendSnapshot, type Percentiles, type RequestStatsSnapshot } from '../balancer';
import { t } from './l10n';
import { backendLabel, formatBytes, formatShare, frontendLabel, stateLabel } from './presentation';
import type { TerminalState } from './backendTerminals';

type Rows = Array<[string, string]>;

/** The frontend's tooltip: where it listens, how it balances and copies, and what it served. */
export function frontendTooltip(frontend: FrontendSnapshot): string {
  const { rejectedBy, requests } = frontend;
  const rows: Rows = [
    [t('Address'), formatAddress(frontend)],
    [t('State'), frontend.listening ? t('listening') : t('stopped')],
    [t('Mode'), frontend.mode === 'http' ? t('HTTP: each request balanced') : t('TCP: each connection balanced')],
    ...(frontend.mode === 'http' ? ([[t('Sticky sessions'), frontend.sticky ? t('on (cookie local-lb)') : t('off')]] as Rows) : []),
    [t('Strategy'), frontend.strategy],
    [t('Data path'), frontend.dataPath ? dataPathLabel(frontend.dataPath) : t('chosen at start')],
    ...(requests ? requestRows(requests, t('Total requests'), String(requests.total)) : []),
    [t('Active connections'), String(frontend.activeConnections)],
    [t('Total connections'), String(frontend.totalConnections)],
    [t('Refused'), t('{0} (no backend {1}, connection limit {2}, out of descriptors {3})', frontend.rejectedConnections, rejectedBy.noBackend, rejectedBy.limit, rejectedBy.descriptors)],
    [t('Received from clients'), formatBytes(frontend.bytesIn)],
    [t('Sent to clients'), formatBytes(frontend.bytesOut)],
  ];
  return table(frontendLabel(frontend), rows);
}

/**
 * A backend's tooltip; in HTTP mode its requests, what they answered and how fast, come first. In
 * TCP mode its times to connect and to the first byte follow its counts.
 */
export function backendTooltip(backend: BackendSnapshot, running: boolean, terminal?: TerminalState): string {
  const { requests } = backend;
  const share = `(${formatShare(backend.sharePercent)})`;
  const rows: Rows = [
    [t('Address'), formatAddress(backend)],
    [t('State'), running ? stateLabel(backend.state) : t('not balancing')],
    ...(requests ? requestRows(requests, t('Total requests'), `${requests.total} ${share}`) : []),
    [t('Active connections'), String(backend.activeConnections)],
    [t('Total connections'), requests ? String(backend.totalConnections) : `${backend.totalConnections} ${share}`],
    [t('Sent to backend'), formatBytes(backend.bytesSent)],
    [t('Received from backend'), formatBytes(backend.bytesReceived)],
    [t('Connect failures'), String(backend.connectFailures)],
    ...timeRow(t('Time to connect'), backend.connectMs),
    ...timeRow(t('Time to first byte'), backend.firstByteMs),
  ];
  if (backend.lastCheck) {
    const { ok, latencyMs, at, error } = backend.lastCheck;
    const when = new Date(at).toLocaleTimeString();
    rows.push([t('Last check'), ok ? t('passed in {0} ms at {1}', latencyMs.toFixed(1), when) : t('failed at {0}: {1}', when, error ?? '')]);
  }
  if (backend.lastError) rows.push([t('Last error'), backend.lastError]);
  if (backend.faults) rows.push([t('Faults'), backend.faults.map((fault) => (fault.dormant ? t('{0} (HTTP mode only)', describeFault(fault)) : describeFault(fault))).join(', ')]);
  rows.push(terminalRow(terminal));
  return table(backendLabel(backend), rows);
}

/** `Flask terminal · running, restarted 2 times`, `web terminal · exited with code 1`, or that none was launched. */
function terminalRow(terminal: TerminalState | undefined): [string, string] {
  if (!terminal) return [t('Terminal'), t('not launched')];
  const restarts = terminal.restarts === 0 ? '' : terminal.restarts === 1 ? t(', restarted once') : t(', restarted {0} times', terminal.restarts);
  return [t('{0} terminal', terminal.label), `${terminal.running ? t('running') : (terminal.ended ?? t('not running'))}${restarts}`];
}

/** A fault's hover (plain text): its type, direction, attributes and toxicity, and why it does nothing while it cannot act. */
export function faultTooltip(fault: FaultSnapshot): string {
  const details = `${fault.type} (${fault.stream}): ${JSON.stringify(fault.attributes)}, toxicity ${fault.toxicity}`;
  return fault.dormant ? `${details}\n${t('It acts on requests: it does nothing while Local LB balances connections (TCP mode).')}` : details;
}

/** `Active requests`, the total, `2xx 28 · 5xx 2`, and `p50 1.2 ms · p99 8 ms` once answers came. */
function requestRows(requests: RequestStatsSnapshot, totalLabel: string, total: string): Rows {
  const answers = Object.entries(requests.answers).filter(([, count]) => count > 0);
  return [
    [t('Active requests'), String(requests.active)],
    [totalLabel, total],
    [t('Answers'), answers.length > 0 ? answers.map(([kind, count]) => `${kind} ${count}`).join(' · ') : t('none yet')],
    ...timeRow(t('Time to answer'), requests.responseMs),
  ];
}

/** `p50 1.2 ms · p95 3 ms · p99 8 ms`, once there is a time. */
function timeRow(label: string, times: Percentiles | undefined): Rows {
  return times ? [[label, `p50 ${formatMs(times.p50)} · p95 ${formatMs(times.p95)} · p99 ${formatMs(times.p99)}`]] : [];
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function dataPathLabel(path: DataPathName): string {
  return path === 'handles' ? t('stream handles (fast)') : t('net.Socket');
}

function table(title: string, rows: Rows): string {
  const body = rows.map(([key, value]) => `| ${escapeMarkdown(key)} | ${escapeMarkdown(value)} |`).join('\n');
  return `**${escapeMarkdown(title)}**\n\n| | |\n|---|---|\n${body}\n`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, ' ');
}
