// A recorded request sent again, on a connection of its own: through the frontend (it comes back as
// a row of the table, marked as a replay) or straight to the backend that answered it.
import { connect } from 'node:net';
import { formatAddress } from '../address';
import type { Address } from '../types';
import { NOT_RESENT } from './requestDetails';
import type { TrafficEntry } from './trafficTypes';

/** What came back: the status, or why there was none. */
export interface ReplayResult {
  status?: number;
  reason?: string;
  error?: string;
}

const REPLAY_TIMEOUT_MS = 30_000;

/**
 * Sends `entry`'s request to `to` again, its headers as they were (those about its connection left
 * out) and `Connection: close`; `connected` is told the replay's client address, to mark its row.
 */
export function replayRequest(entry: TrafficEntry, to: Address, connected: (client: string) => void = () => undefined): Promise<ReplayResult> {
  const details = entry.details;
  if (!details) return Promise.resolve({ error: 'only an HTTP request recorded while watched can be sent again' });
  if (details.requestBodyBytes > 0) return Promise.resolve({ error: `its body (${details.requestBodyBytes} bytes) was not recorded` });
  let head = `${entry.method ?? 'GET'} ${entry.path ?? '/'} HTTP/1.1\r\n`;
  for (const [name, value] of details.requestHeaders) if (!NOT_RESENT.has(name.toLowerCase())) head += `${name}: ${value}\r\n`;
  head += 'Connection: close\r\n\r\n';
  return new Promise((resolve) => {
    const socket = connect({ host: to.host, port: to.port });
    let answer = '';
    let got: ReplayResult | undefined;
    const done = (result: ReplayResult): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(REPLAY_TIMEOUT_MS, () => done({ error: `no answer within ${REPLAY_TIMEOUT_MS / 1000} s` }));
    socket.on('connect', () => {
      connected(formatAddress({ host: socket.localAddress ?? '', port: socket.localPort ?? 0 }));
      socket.write(head, 'latin1');
    });
    // Only the status line is read; the rest of the answer is let go by.
    socket.on('data', (chunk: Buffer) => {
      if (got) return;
      answer += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3}) ?([^\r\n]*)\r\n/.exec(answer);
      if (match) got = { status: Number(match[1]), reason: match[2] };
      else if (answer.length > 65_536) done({ error: 'the answer is not HTTP/1.x' });
    });
    socket.on('end', () => done(got ?? { error: 'the connection closed without an answer' }));
    socket.on('error', (error) => done({ error: error.message }));
  });
}
