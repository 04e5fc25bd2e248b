// Which data path serves: the handle path once its self-test passed, else `net.Socket`, or the one asked for.
import { SelfTestError } from './errors';
import type { DataPath, Side } from './dataPath';
import { loadBindings } from './handles/bindings';
import { handlePath } from './handles/handlePath';
import { selfTest } from './handles/selfTest';
import { socketPath } from './socketPath';
import type { DataPathChoice } from './types';

export interface ChosenPath {
  path: DataPath<Side>;
  /** Why the handle path does not serve, when `auto` fell back to sockets. */
  fallback?: string;
}

/** The handle path, or why it cannot serve in this process: tested once, at the first start that wants it. */
let handles: Promise<DataPath<Side> | string> | undefined;

export async function chooseDataPath(choice: DataPathChoice): Promise<ChosenPath> {
  if (choice === 'sockets') return { path: socketPath };
  const verdict = await (handles ??= proveHandles());
  if (typeof verdict !== 'string') return { path: verdict };
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
