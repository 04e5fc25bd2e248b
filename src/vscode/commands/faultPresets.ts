// The faults Add Fault offers first, each a toxiproxy toxic with its settings, named for what a user sees.
import type { FaultSpec, Mode } from '../../balancer';
import { t } from '../l10n';

export interface FaultPreset {
  label: string;
  detail: string;
  spec: FaultSpec;
}

/** In HTTP mode, request faults come first: they are what a web developer expects to try. */
export function faultPresets(mode: Mode): FaultPreset[] {
  const requestFaults: FaultPreset[] =
    mode === 'http'
      ? [
          { label: t('Errors: answer 503 to 30% of requests'), detail: 'http_status 503, toxicity 0.3', spec: { type: 'http_status', toxicity: 0.3, attributes: { status: 503 }, name: 'errors' } },
          { label: t('Aborts: reset 10% of requests'), detail: 'http_abort, toxicity 0.1', spec: { type: 'http_abort', toxicity: 0.1, name: 'aborts' } },
        ]
      : [];
  return [
    ...requestFaults,
    { label: t('Slow: +300 ms'), detail: 'latency 300 ms', spec: { type: 'latency', attributes: { latency: 300 }, name: 'slow' } },
    { label: t('Jittery: 100 ± 80 ms'), detail: 'latency 100 ms, jitter 80 ms', spec: { type: 'latency', attributes: { latency: 100, jitter: 80 }, name: 'jittery' } },
    { label: t('Flaky: reset 30% of connections'), detail: 'reset_peer, toxicity 0.3', spec: { type: 'reset_peer', toxicity: 0.3, name: 'flaky' } },
    { label: t('Throttled: 64 KB/s'), detail: 'bandwidth 64 KB/s', spec: { type: 'bandwidth', attributes: { rate: 64 }, name: 'throttled' } },
    { label: t('Hangs: accepts and never answers'), detail: 'timeout 0', spec: { type: 'timeout', attributes: { timeout: 0 }, name: 'hangs' } },
    { label: t('Cut after 1 KB'), detail: 'limit_data 1000 bytes', spec: { type: 'limit_data', attributes: { bytes: 1000 }, name: 'cut' } },
  ];
}
