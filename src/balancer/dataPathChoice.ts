// Which data path serves: the handle path once its self-test passed, else `net.Socket`, or the one asked for.
import { SelfTestError } from './errors';
import type { DataPath, Side } from './dataPath';
import { loadBindings } from './handles/bindings';
import { handlePath } from './handles/handlePath';
import { selfTest } from './handles/selfTest';
import { socketPath } from './sockets/socketPath';
import type { DataPathChoice } from './types';

export interface ChosenPath {
  path: DataPath<Side>;
  /** Why the handle path does not serve, when `auto` fell back to sockets. */
  fallback?: string;
}

/** The handle path once it passed its self-test: proven once per process. */
let proven: DataPath<Side> | undefined;
/**
 * The self-test under way, shared by the starts that wait for it. A failure is not kept: a host busy
 * at the first start must not pin the slow path until the process ends, so the next start tests again.
 */
let proving: Promise<DataPath<Side> | string> | undefined;

export async function chooseDataPath(choice: DataPathChoice): Promise<ChosenPath> {
  if (choice === 'sockets') return { path: socketPath };
  const verdict = proven ?? (await (proving ??= proveHandles().finally(() => (proving = undefined))));
  if (typeof verdict !== 'string') {
    proven = verdict;
    return { path: verdict };
  }
  if (choice === 'handles') {
    throw new SelfTestError(`The handles data path cannot serve in this Node ${process.version}: ${verdict}. Use the sockets data path.`);
  }
  return { path: socketPath, fallback: verdict };
}

async function proveHandles(): Promise<DataPath<Side> | string> {
  const bindings = loadBindings();
  if (typeof bindings === 'string') return bindings;
  try {
    const path = handlePath(bindings);
    await selfTest(path);
    return path;
  } catch (error) {
    return `its self-test failed (${(error as Error).message})`;
  }
}
