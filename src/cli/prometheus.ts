// Prometheus text exposition (format 0.0.4) of every pool's snapshot, each series labelled with its pool.
import { formatAddress, LATENCY_BUCKETS_MS, REJECT_REASONS, type BackendSnapshot, type BackendState, type BalancerSnapshot, type LatencyHistogram, type RejectReason, type RequestStatsSnapshot } from '../balancer';

const STATES: readonly BackendState[] = ['unknown', 'up', 'down', 'disabled', 'draining'];
/** Label values of the reasons a client is rejected, in Prometheus's snake case. */
const REJECT_LABELS: Record<RejectReason, string> = { noBackend: 'no_backend', limit: 'connection_limit', descriptors: 'out_of_descriptors' };

interface Family {
  name: string;
  type: 'gauge' | 'counter' | 'histogram';
  help: string;
  /** `suffix`: a histogram's `_bucket`, `_sum` or `_count`. */
  samples: Array<[labels: Record<string, string>, value: number, suffix?: string]>;
}

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Answers by class, for `local_lb_*_requests_total`. */
function byClass(labels: Record<string, string>, requests: RequestStatsSnapshot): Family['samples'] {
  return CLASSES.map((kind) => [{ ...labels, code_class: kind }, requests.answers[kind]]);
}

/** A Prometheus histogram: cumulative buckets, in seconds. */
function histogram(labels: Record<string, string>, times: LatencyHistogram): Family['samples'] {
  let cumulative = 0;
  const buckets = times.counts.map((count, i): Family['samples'][number] => {
    cumulative += count;
    const le = i < LATENCY_BUCKETS_MS.length ? String(LATENCY_BUCKETS_MS[i] / 1000) : '+Inf';
    return [{ ...labels, le }, cumulative, '_bucket'];
  });
  return [...buckets, [labels, times.sumMs / 1000, '_sum'], [labels, cumulative, '_count']];
}

/** A histogram family of each backend's times of one kind, for the backends that have some. */
function backendTimes(name: string, help: string, backends: readonly BackendSnapshot[], times: (b: BackendSnapshot) => LatencyHistogram | undefined): Family {
  const samples = backends.flatMap((backend) => {
    const counted = times(backend);
    return counted ? histogram({ backend: backend.id }, counted) : [];
  });
  return { name, type: 'histogram', help, samples };
}

/** A pool's name and its statistics. */
export interface PoolSnapshot {
  name: string;
  snapshot: BalancerSnapshot;
}

export function formatMetrics(pools: readonly PoolSnapshot[]): string {
  // One family per metric, its samples pool after pool.
  const families = new Map<string, Family>();
  for (const { name, snapshot } of pools) {
    for (const family of poolFamilies(snapshot)) {
      const samples = family.samples.map(([labels, value, suffix]): Family['samples'][number] => [{ pool: name, ...labels }, value, suffix]);
      const known = families.get(family.name);
      if (known) known.samples.push(...samples);
      else families.set(family.name, { ...family, samples });
    }
  }
  return [...families.values()]
    .filter((family) => family.samples.length > 0)
    .map((family) =>
      [
        `# HELP ${family.name} ${family.help}`,
        `# TYPE ${family.name} ${family.type}`,
        ...family.samples.map(([labels, value, suffix = '']) => `${family.name}${suffix}${formatLabels(labels)} ${value}`),
      ].join('\n'),
    )
    .join('\n')
    .concat('\n');
}

function poolFamilies(snapshot: BalancerSnapshot): Family[] {
  const { frontend, backends } = snapshot;
  const frontendLabels = { frontend: formatAddress(frontend) };
  const perBackend = (value: (b: (typeof backends)[number]) => number): Family['samples'] =>
    backends.map((backend) => [{ backend: backend.id, ...(backend.name ? { name: backend.name } : {}) }, value(backend)]);
  return [
    { name: 'local_lb_frontend_listening', type: 'gauge', help: '1 while the frontend accepts connections.', samples: [[frontendLabels, frontend.listening ? 1 : 0]] },
    ...(frontend.dataPath
      ? [{ name: 'local_lb_frontend_data_path_info', type: 'gauge' as const, help: 'The data path that copies the bytes (handles or sockets): 1 for it.', samples: [[{ ...frontendLabels, data_path: frontend.dataPath }, 1]] as Family['samples'] }]
      : []),
    { name: 'local_lb_frontend_connections_active', type: 'gauge', help: 'Client connections open now.', samples: [[frontendLabels, frontend.activeConnections]] },
    { name: 'local_lb_frontend_connections_total', type: 'counter', help: 'Client connections accepted.', samples: [[frontendLabels, frontend.totalConnections]] },
    {
      name: 'local_lb_frontend_connections_rejected_total',
      type: 'counter',
      help: 'Client connections closed unserved, by reason: no backend could take them, --max-connections were open, or out of file descriptors.',
      samples: REJECT_REASONS.map((reason) => [{ ...frontendLabels, reason: REJECT_LABELS[reason] }, frontend.rejectedBy[reason]]),
    },
    { name: 'local_lb_frontend_received_bytes_total', type: 'counter', help: 'Bytes received from clients (closed connections).', samples: [[frontendLabels, frontend.bytesIn]] },
    { name: 'local_lb_frontend_sent_bytes_total', type: 'counter', help: 'Bytes sent to clients (closed connections).', samples: [[frontendLabels, frontend.bytesOut]] },
    { name: 'local_lb_backend_up', type: 'gauge', help: '1 when the backend takes new connections.', samples: perBackend((b) => (b.state === 'up' || b.state === 'unknown' ? 1 : 0)) },
    {
      name: 'local_lb_backend_state',
      type: 'gauge',
      help: 'The backend state: 1 for the current one.',
      samples: backends.flatMap((backend) =>
        STATES.map((state): [Record<string, string>, number] => [{ backend: backend.id, state }, backend.state === state ? 1 : 0]),
      ),
    },
    { name: 'local_lb_backend_connections_active', type: 'gauge', help: 'Connections open to the backend now.', samples: perBackend((b) => b.activeConnections) },
    { name: 'local_lb_backend_connections_total', type: 'counter', help: 'Connections handed to the backend.', samples: perBackend((b) => b.totalConnections) },
    { name: 'local_lb_backend_connect_failures_total', type: 'counter', help: 'Failed attempts to connect to the backend.', samples: perBackend((b) => b.connectFailures) },
    { name: 'local_lb_backend_sent_bytes_total', type: 'counter', help: 'Bytes forwarded to the backend.', samples: perBackend((b) => b.bytesSent) },
    { name: 'local_lb_backend_received_bytes_total', type: 'counter', help: 'Bytes received from the backend.', samples: perBackend((b) => b.bytesReceived) },
    ...(frontend.requests
      ? [{ name: 'local_lb_frontend_requests_total', type: 'counter' as const, help: 'HTTP mode: requests answered, by the class of their status (the balancer\'s own answers among them).', samples: byClass(frontendLabels, frontend.requests) }]
      : []),
    {
      name: 'local_lb_backend_requests_total',
      type: 'counter',
      help: 'HTTP mode: requests the backend answered (or failed, as a 502 or 504), by the class of the status.',
      samples: backends.flatMap((b) => (b.requests ? byClass({ backend: b.id }, b.requests) : [])),
    },
    { name: 'local_lb_backend_requests_active', type: 'gauge', help: 'HTTP mode: requests sent to the backend whose answer has not ended.', samples: backends.flatMap((b) => (b.requests ? [[{ backend: b.id }, b.requests.active]] : [])) },
    backendTimes('local_lb_backend_response_seconds', 'HTTP mode: time from a request sent to the backend to the head of its answer.', backends, (b) => b.requests?.histogram),
    backendTimes('local_lb_backend_connect_seconds', 'TCP mode: time to connect to the backend.', backends, (b) => b.connectHistogram),
    backendTimes('local_lb_backend_first_byte_seconds', 'TCP mode: time from connected to the backend\'s first byte.', backends, (b) => b.firstByteHistogram),
    { name: 'local_lb_backend_check_latency_seconds', type: 'gauge', help: 'Duration of the last health check.', samples: backends.filter((b) => b.lastCheck).map((b) => [{ backend: b.id }, (b.lastCheck?.latencyMs ?? 0) / 1000]) },
  ];
}

function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
