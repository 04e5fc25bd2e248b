// Proves the handle path at start: a loopback connection through it, both ways, with a half-close.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { DataPath, Listener } from '../dataPath';
import type { HandleSide } from './handleSide';

const GREETING = 'local-lb data path self-test';
const TIMEOUT_MS = 2000;

/**
 * Resolves when a client's bytes went through `path` to an echoing backend and back, the client's
 * end passed to the backend and the backend's back to the client, and the copy closed without an
 * error; rejects with what went wrong otherwise. Leaves nothing open either way.
 */
export async function selfTest(path: DataPath<HandleSide>): Promise<void> {
  const backend = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  let listener: Listener | undefined;
  let client: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => backend.once('error', reject).listen(0, '127.0.0.1', resolve));
    const backendAddress = { host: '127.0.0.1', port: (backend.address() as AddressInfo).port };
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no echo within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      let echoed = '';
      // The verdict once both the client and the copy are closed: the copy's error says more than a short echo.
      let closedSides = 0;
      let copyError: Error | undefined;
      const judge = (): void => {
        if (++closedSides < 2) return;
        if (copyError) reject(copyError);
        else if (echoed !== GREETING) reject(new Error(`echo came back as ${JSON.stringify(echoed)}`));
        else resolve();
      };
      const onClient = (accepted: HandleSide): void => {
        const backendSide = path.connect(backendAddress, accepted, (error) => {
          if (error) reject(error);
          else
            path.copy(accepted, backendSide, { idleTimeoutMs: 0 }, () => undefined, (error) => {
              copyError = error;
              judge();
            });
        });
      };
      path.listen({ host: '127.0.0.1', port: 0 }, undefined, onClient, reject).then((listening) => {
        listener = listening;
        client = connect(listening.address.port, '127.0.0.1', () => client?.end(GREETING));
        client.setEncoding('latin1');
        client.on('data', (text: string) => (echoed += text));
        client.on('error', () => {});
        client.on('close', judge);
      }, reject);
    });
  } finally {
    clearTimeout(timer);
    client?.destroy();
    // Not waited for: the echo server closes once its last connection has, which a failed test may delay.
    backend.close();
    await listener?.close();
  }
}
