// Local LB: Stop Backends (and Stop Flask Backends, its old name): stops every launched copy and closes its terminal.
import { t } from '../l10n';
import type { Services } from '../services';

export async function stopBackends({ terminals, log }: Pick<Services, 'terminals' | 'log'>): Promise<number> {
  const stopped = await terminals.stop();
  if (stopped > 0) log.info(t('Stopped {0} launched backend(s).', stopped));
  return stopped;
}
