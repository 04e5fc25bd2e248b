// Launch one backend (the tree's inline button), as its pool's launch setting says (Flask when none does).
import { t } from '../l10n';
import { configuredLaunch, launchOnPorts, type LaunchParts } from '../launching';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function launchBackendTerminal(parts: LaunchParts, target?: BackendTarget): Promise<number[]> {
  const picked = await pickBackend(parts, target, t('Launch which backend?'), (b) => !parts.terminals.isRunning(b.port));
  if (!picked) return [];
  const spec = configuredLaunch(parts.balancer.settings, picked.pool.name, parts.sampleFlaskApp);
  return spec ? launchOnPorts(parts, picked.pool.name, spec, [picked.backend.port]) : [];
}
