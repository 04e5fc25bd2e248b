import assert from 'node:assert/strict';
import type { BackendSnapshot, BalancerSnapshot, FrontendSnapshot } from '../../src/balancer';
import {
  backendDescription,
  backendLabel,
  formatBytes,
  formatShare,
  faultCount,
  faultDescription,
  frontendDescription,
  poolDescription,
  statusBarSeverity as severityOf,
  statusBarText as textOf,
  testRequestsSummary,
} from '../../src/vscode/presentation';
import type { TerminalState } from '../../src/vscode/backendTerminals';
import { backendTooltip, faultTooltip, frontendTooltip } from '../../src/vscode/tooltips';
import { backendSnapshot as backend, frontendSnapshot } from '../support/snapshots';

const frontend: FrontendSnapshot = frontendSnapshot({ activeConnections: 12, totalConnections: 340 });

/** A tooltip as it shows: Markdown's escapes removed. */
const FLASK_RUNNING: TerminalState = { label: 'Flask', running: true, restarts: 0 };
const plain = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

const snapshot = (backends: BackendSnapshot[], listening = true): BalancerSnapshot => ({ frontend: { ...frontend, listening }, backends });
/** The status bar of one pool, `default`. */
const statusBarText = (one: BalancerSnapshot): string => textOf([{ name: 'default', snapshot: one }]);
const statusBarSeverity = (one: BalancerSnapshot): string => severityOf([{ name: 'default', snapshot: one }]);

describe('presentation', () => {
  it('backends on 127.0.0.1 are labelled by port, others by address, named ones by name', () => {
    assert.deepEqual(
      [backendLabel({ host: '127.0.0.1', port: 8101 }), backendLabel({ host: '::1', port: 8101 }), backendLabel({ host: '127.0.0.1', port: 1, name: 'api' })],
      [':8101', '[::1]:8101', 'api'],
    );
  });

  it('shares are whole percents, and a tiny share still shows', () => {
    assert.deepEqual([formatShare(33.333), formatShare(0), formatShare(0.2), formatShare(100)], ['33%', '0%', '<1%', '100%']);
  });

  it('bytes are shown in decimal units', () => {
    assert.deepEqual([formatBytes(512), formatBytes(1500), formatBytes(2_500_000), formatBytes(12_345_678_901)], ['512 B', '1.5 KB', '2.5 MB', '12 GB']);
  });

  it('the frontend tooltip names the data path serving, and what it served', () => {
    const tooltip = (changes: Partial<FrontendSnapshot>): string => plain(frontendTooltip({ ...frontend, ...changes }));
    const text = tooltip({ dataPath: 'handles', rejectedConnections: 3, rejectedBy: { noBackend: 1, limit: 2, descriptors: 0 } });
    assert.match(text, /\| Data path \| stream handles \(fast\) \|/);
    assert.match(text, /\| Refused \| 3 \(no backend 1, connection limit 2, out of descriptors 0\) \|/);
    assert.match(tooltip({ dataPath: 'sockets' }), /\| Data path \| net\.Socket \|/);
    assert.match(tooltip({ listening: false }), /\| Data path \| chosen at start \|/);
  });

  it('a backend with faults is described as faulty, its tooltip names them, and the status bar counts them', () => {
    const faults = [{ name: 'slow', type: 'latency' as const, stream: 'downstream' as const, toxicity: 1, attributes: { latency: 300, jitter: 0 } }];
    const faulty = backend(8101, { faults });
    assert.equal(backendDescription(faulty, true), 'up · faulty · 0 active · 0%');
    assert.match(backendTooltip(faulty, true).replace(/\\(.)/g, '$1'), /\| Faults \| latency 300 ms ↓ \|/);
    assert.equal(statusBarText(snapshot([faulty, backend(8102)])), '$(radio-tower) :8080 2/2 $(zap) 1');
    assert.equal(statusBarText(snapshot([faulty], false)), '$(circle-slash) LB off $(zap) 1');
  });

  it('a request fault in TCP mode says it acts in HTTP mode only, and neither marks its backend faulty nor counts in the status bar', () => {
    const errors = { name: 'errors', type: 'http_status' as const, stream: 'downstream' as const, toxicity: 1, attributes: { status: 503 }, dormant: true as const };
    const dormant = backend(8101, { faults: [errors] });
    assert.equal(backendDescription(dormant, true), 'up · 0 active · 0%');
    assert.match(backendTooltip(dormant, true).replace(/\\(.)/g, '$1'), /\| Faults \| answers 503 \(HTTP mode only\) \|/);
    assert.equal(faultDescription(errors), 'errors · HTTP mode only');
    assert.match(faultTooltip(errors), /does nothing while Local LB balances connections \(TCP mode\)/);
    assert.equal(statusBarText(snapshot([dormant])), '$(radio-tower) :8080 1/1');
    assert.equal(faultCount(snapshot([dormant])), 1, 'Clear All Faults still offers to remove it');
  });

  it('the frontend says listening with its counts, or stopped', () => {
    assert.equal(frontendDescription(frontend), 'listening · 12 active · 340 total');
    assert.equal(frontendDescription({ ...frontend, listening: false }), 'stopped');
  });

  it('a balanced backend says its state, active connections and share', () => {
    const b = backend(8101, { activeConnections: 4, sharePercent: 33.3 });
    assert.equal(backendDescription(b, true, FLASK_RUNNING), 'up · 4 active · 33%');
    assert.equal(backendDescription({ ...b, state: 'unknown' }, true), 'checking · 4 active · 33%');
  });

  describe('in HTTP mode', () => {
    const requests = (total: number, active: number) => {
      const counts = new Array<number>(33).fill(0);
      counts[2] = total; // 1 to 1.5 ms
      return { total, active, answers: { '1xx': 0, '2xx': total - 2, '3xx': 0, '4xx': 1, '5xx': 1 }, histogram: { counts, sumMs: total }, responseMs: { p50: 1.25, p95: 1.48, p99: 1.5 } };
    };

    it('the frontend counts requests, and says when sessions are sticky', () => {
      const http = { ...frontend, mode: 'http' as const, requests: requests(30, 1) };
      assert.equal(frontendDescription(http), '1 active · 30 requests');
      assert.equal(frontendDescription({ ...http, sticky: true }), 'sticky · 1 active · 30 requests');
    });

    it('a backend shows its requests in progress and its share of requests', () => {
      const b = backend(8101, { activeConnections: 5, sharePercent: 33.3, requests: requests(10, 2) });
      assert.equal(backendDescription(b, true), 'up · 2 active · 33%');
    });

    it('tooltips add the answers by class and the times to answer', () => {
      const text = plain(backendTooltip(backend(8101, { totalConnections: 3, sharePercent: 50, requests: requests(10, 0) }), true));
      assert.match(text, /\| Total requests \| 10 \(50%\) \|/);
      assert.match(text, /\| Answers \| 2xx 8 · 4xx 1 · 5xx 1 \|/);
      assert.match(text, /\| Time to answer \| p50 1\.3 ms · p95 1\.5 ms · p99 1\.5 ms \|/);
      assert.match(text, /\| Total connections \| 3 \|/);
      const front = plain(frontendTooltip({ ...frontend, mode: 'http', sticky: true, requests: requests(30, 0) }));
      assert.match(front, /\| Mode \| HTTP: each request balanced \|/);
      assert.match(front, /\| Sticky sessions \| on \(cookie local-lb\) \|/);
      assert.match(plain(frontendTooltip(frontend)), /\| Mode \| TCP: each connection balanced \|/);
    });
  });

  it('in TCP mode, a backend\'s tooltip gives its times to connect and to the first byte', () => {
    const text = plain(backendTooltip(backend(8101, { connectMs: { p50: 0.2, p95: 0.4, p99: 1.25 }, firstByteMs: { p50: 301, p95: 320.4, p99: 340 } }), true));
    assert.match(text, /\| Time to connect \| p50 0\.2 ms · p95 0\.4 ms · p99 1\.3 ms \|/);
    assert.match(text, /\| Time to first byte \| p50 301 ms · p95 320 ms · p99 340 ms \|/);
    assert.doesNotMatch(plain(backendTooltip(backend(8101), true)), /Time to/, 'none before any connection');
  });

  it('while the balancer is stopped, a backend says whether the copy launched on it runs', () => {
    assert.equal(backendDescription(backend(8101), false, FLASK_RUNNING), 'not balancing · Flask running');
    assert.equal(backendDescription(backend(8101), false, { label: 'web', running: true, restarts: 0 }), 'not balancing · web running');
    assert.equal(backendDescription(backend(8101), false), 'not balancing');
  });

  it('a backend\'s tooltip says how its copy runs: running, restarted, or how it ended', () => {
    assert.match(plain(backendTooltip(backend(8101), true, FLASK_RUNNING)), /\| Flask terminal \| running \|/);
    assert.match(plain(backendTooltip(backend(8101), true, { label: 'web', running: true, restarts: 2 })), /\| web terminal \| running, restarted 2 times \|/);
    assert.match(plain(backendTooltip(backend(8101), true, { label: 'web', running: false, restarts: 1, ended: 'exited with code 3' })), /\| web terminal \| exited with code 3, restarted once \|/);
    assert.match(plain(backendTooltip(backend(8101), true)), /\| Terminal \| not launched \|/);
  });

  it('a tooltip escapes what came from users and sockets', () => {
    const tooltip = backendTooltip(backend(8101, { name: '*evil* [link](x)', lastError: 'boom | pipe' }), true);
    assert.match(tooltip, /^\*\*\\\*evil\\\* \\\[link\\\]\\\(x\\\)\*\*/);
    assert.match(tooltip, /\| Last error \| boom \\\| pipe \|/);
  });

  describe('status bar', () => {
    it('shows the port and healthy/total while running', () => {
      assert.equal(statusBarText(snapshot([backend(1), backend(2), backend(3)])), '$(radio-tower) :8080 3/3');
    });

    it('counts backends not checked yet as taking traffic', () => {
      assert.equal(statusBarText(snapshot([backend(1, { state: 'unknown' }), backend(2, { state: 'down' })])), '$(radio-tower) :8080 1/2');
    });

    it('shows LB off when stopped', () => {
      assert.equal(statusBarText(snapshot([backend(1)], false)), '$(circle-slash) LB off');
    });

    it('warns when some backends are down and errs when none takes traffic', () => {
      assert.equal(statusBarSeverity(snapshot([backend(1), backend(2)])), 'ok');
      assert.equal(statusBarSeverity(snapshot([backend(1), backend(2, { state: 'down' })])), 'warning');
      assert.equal(statusBarSeverity(snapshot([backend(1, { state: 'down' }), backend(2, { state: 'disabled' })])), 'error');
      assert.equal(statusBarSeverity(snapshot([])), 'error');
      assert.equal(statusBarSeverity(snapshot([backend(1, { state: 'down' })], false)), 'ok');
    });

    it('with several pools, counts the pools running and all their backends taking traffic', () => {
      const web = snapshot([backend(1), backend(2), backend(3)]);
      const api = snapshot([backend(4), backend(5, { state: 'down' }), backend(6)]);
      assert.equal(textOf([{ name: 'web', snapshot: web }, { name: 'api', snapshot: api }]), '$(radio-tower) 2 pools · 5/6');
      assert.equal(textOf([{ name: 'web', snapshot: web }, { name: 'api', snapshot: snapshot([backend(4)], false) }]), '$(radio-tower) 1/2 pools · 3/3');
    });

    it('with several pools, takes the worst pool\'s colour', () => {
      const ok = { name: 'web', snapshot: snapshot([backend(1)]) };
      const warning = { name: 'api', snapshot: snapshot([backend(4), backend(5, { state: 'down' })]) };
      const error = { name: 'auth', snapshot: snapshot([backend(7, { state: 'down' })]) };
      assert.deepEqual([severityOf([ok, warning]), severityOf([warning, error, ok]), severityOf([ok, { ...error, snapshot: { ...error.snapshot, frontend: { ...frontend, listening: false } } }])], ['warning', 'error', 'ok']);
    });
  });

  it('a pool\'s row among several: its frontend, healthy of all backends, and requests (or connections)', () => {
    const http = { ...frontend, requests: { total: 120, active: 0, answers: { '1xx': 0, '2xx': 120, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: { counts: [], sumMs: 0 } } };
    assert.equal(poolDescription(http, [backend(1), backend(2), backend(3, { state: 'down' })]), ':8080 2/3 · 120 requests');
    assert.equal(poolDescription(frontend, [backend(1)]), ':8080 1/1 · 340 connections');
    assert.equal(poolDescription({ ...frontend, listening: false }, [backend(1)]), ':8080 stopped');
    assert.equal(poolDescription({ ...frontend, totalConnections: 1 }, [backend(1)]), ':8080 1/1 · 1 connection');
  });

  it('test requests are summarized per backend in configured order, with how long answers took and what failed', () => {
    const backends = [backend(8101), backend(8102), backend(8103)];
    const results = [
      { backend: '127.0.0.1:8102', durationMs: 300 },
      { backend: '127.0.0.1:8101', durationMs: 2 },
      { backend: '127.0.0.1:8101', durationMs: 4 },
      { backend: '127.0.0.1:8103', error: 'read ECONNRESET', durationMs: 1 },
      { error: 'socket hang up', durationMs: 1 },
    ];
    assert.equal(testRequestsSummary(results, backends), '5 requests: :8101 2 in 3 ms; :8102 1 in 300 ms; :8103 0, 1 failed; 1 failed before reaching a backend');
  });
});
