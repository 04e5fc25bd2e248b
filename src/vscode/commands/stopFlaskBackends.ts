// Local LB: Stop Flask Backends: closes every Flask terminal.
import { t } from '../l10n';
import type { Services } from '../services';

export function stopFlaskBackends({ terminals, log }: Pick<Services, 'terminals' | 'log'>): number {
  const stopped = terminals.stop();
  if (stopped > 0) log.info(t('Stopped {0} Flask terminal(s).', stopped));
  return stopped;
}
