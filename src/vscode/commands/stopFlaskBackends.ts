import { t } from '../l10n';
import type { Services } from '../services';

export function stopFlaskBackends(services: Services): number {
  const stopped = services.terminals.stop();
  if (stopped > 0) services.log.info(t('Stopped {0} Flask terminal(s).', stopped));
  return stopped;
}
