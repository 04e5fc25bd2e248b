// `local-lb --check`: each pool in a few lines, as it would start.
import { formatAddress, resolveOptions, type PoolDefinition } from '../balancer';

export function poolSummary({ name, options }: PoolDefinition): string {
  const resolved = resolveOptions(options);
  const { health } = resolved;
  const checks = health ? `${health.type} checks${health.type === 'http' ? ` on ${health.path}` : ''} every ${health.intervalMs} ms` : 'no health checks';
  const backends = resolved.backends.map((backend) => `${formatAddress(backend)}${backend.weight && backend.weight !== 1 ? ` (weight ${backend.weight})` : ''}`);
  return [
    `${name}: ${formatAddress(resolved)}, ${resolved.mode} mode, ${resolved.strategy}${resolved.sticky ? ', sticky sessions' : ''}, ${checks}`,
    `  backends: ${backends.join(', ') || 'none yet'}`,
    ...(options.faults ?? []).map(({ backend, fault }) => `  fault on ${backend}: ${fault.name}`),
  ].join('\n');
}
