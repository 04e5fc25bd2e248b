// Launch one backend (the tree's inline button): as its pool's launch setting says, else as it was
// last launched in this window from the Procfile, else Flask.
import { t } from '../l10n';
import { configuredLaunch, launchOnPorts, mayLaunch, startCopies, type LaunchParts } from '../launching';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function launchBackendTerminal(parts: LaunchParts, target?: BackendTarget): Promise<number[]> {
  const picked = await pickBackend(parts, target, t('Launch which backend?'), (b) => !parts.terminals.isRunning(b.port));
  if (!picked) return [];
  const { port } = picked.backend;
  const last = parts.balancer.settings.launches.has(picked.pool.name) ? undefined : parts.terminals.lastLaunch(port);
  if (last) return mayLaunch(parts.log) ? startCopies(parts, picked.pool.name, last.app, [port], last) : [];
  const spec = configuredLaunch(parts.balancer.settings, picked.pool.name, parts.sampleFlaskApp);
  return spec ? launchOnPorts(parts, picked.pool.name, spec, [port]) : [];
}
