// A recorded request as the inspector's pane shows it: its details with secrets masked (unless
// asked), its URL, and a curl command that sends it again through the frontend.
import { curlCommand } from './curl';
import { requestUrl, shownValue } from './har';
import type { DetailsMessage } from './panelMessages';
import type { HeaderLine, RequestDetails } from '../types';
import type { TrafficEntry } from './trafficTypes';

/** The pane's answer for row `seq`; `entry`: the row kept with its details, if it still is. */
export function detailsAnswer(seq: number, entry: TrafficEntry | undefined, frontend: string, showSecrets: boolean): DetailsMessage {
  const details = entry?.details;
  if (!entry || !details) return { type: 'details', seq, none: entry ? 'Connections (TCP mode) have no request to look into.' : 'This request is no longer kept: details are kept for the last 500, within 8 MB, while the panel is open.' };
  const masked = (headers: readonly HeaderLine[]): HeaderLine[] => headers.map(([name, value]) => [name, shownValue(name, value, showSecrets)]);
  const shown: RequestDetails = {
    ...details,
    requestHeaders: masked(details.requestHeaders),
    addedHeaders: masked(details.addedHeaders),
    ...(details.response ? { response: { ...details.response, headers: masked(details.response.headers) } } : {}),
  };
  return { type: 'details', seq, details: shown, url: requestUrl(entry.path ?? '/', details, frontend), curl: curlCommand({ ...entry, details }, frontend) };
}
