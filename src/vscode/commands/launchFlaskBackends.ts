// Local LB: Launch Flask Backends: a Flask terminal for each backend on this machine.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { DEFAULT_HOST, formatAddress, type BackendSpec } from '../../balancer';
import { t } from '../l10n';
import type { Services } from '../services';
import { DEFAULT_BACKEND_PORTS, type FlaskSettings } from '../settingsParser';
import { backendEntries, writeBackendEntries } from '../vsCodeSettings';
import { pickPool, type PoolTarget } from './pickPool';

type Parts = Pick<Services, 'balancer' | 'terminals' | 'log'>;

/**
 * Opens a Flask terminal for every backend on this machine of every pool, or of the pool of
 * `target` (a tree row). With no backends configured it adds the default ports 8101–8103 to the
 * pool's settings first, and says so.
 */
export async function launchFlaskBackends(parts: Parts, target?: PoolTarget): Promise<number[]> {
  const pools = target === undefined ? parts.balancer.pools : [await pickPool(parts, target, t('Launch Flask for which pool?'))].filter((pool) => pool !== undefined);
  let backends: BackendSpec[] = pools.flatMap((pool) => pool.snapshot().backends);
  if (backends.length === 0 && pools.length === 1) {
    const [pool] = pools;
    await writeBackendEntries([...backendEntries(pool.name), ...DEFAULT_BACKEND_PORTS], pool.name);
    parts.log.info(t('Added backends {0} to pool {1}.', DEFAULT_BACKEND_PORTS.join(', '), pool.name));
    backends = DEFAULT_BACKEND_PORTS.map((port) => ({ host: DEFAULT_HOST, port }));
  }
  // A port shared by two pools' backends runs one Flask.
  const local = [...new Set(backends.filter((backend) => backend.host === DEFAULT_HOST).map((backend) => backend.port))];
  const skipped = backends.filter((backend) => backend.host !== DEFAULT_HOST);
  if (skipped.length > 0) {
    parts.log.info(t('Not launching Flask for {0}: only backends on {1} run here.', skipped.map((b) => formatAddress(b)).join(', '), DEFAULT_HOST));
  }
  return launchFlask(parts, local);
}

/** Launches Flask on `ports` if the workspace is trusted and Python has Flask; returns the ports launched. */
export async function launchFlask({ balancer, terminals, log }: Parts, ports: readonly number[]): Promise<number[]> {
  if (!vscode.workspace.isTrusted) {
    const manage = t('Manage Workspace Trust');
    log.warn(t('Refused to launch Flask backends: the workspace is not trusted.'));
    void vscode.window
      .showWarningMessage(
        t('Launching Flask backends runs the Python interpreter and app from your settings, so Local LB does it only in a trusted workspace.'),
        manage,
      )
      .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    return [];
  }
  const { flask } = balancer.settings;
  const problem = await flaskProblem(flask);
  if (problem) {
    log.error(problem);
    void vscode.window.showErrorMessage(problem);
    return [];
  }
  const { launched, alreadyRunning } = terminals.launch(ports, flask);
  for (const port of launched) log.info(t('Launched Flask on port {0}: {1} -m flask run --port {0}', port, flask.pythonPath));
  if (alreadyRunning.length > 0) log.info(t('Flask already runs on {0}.', alreadyRunning.join(', ')));
  return launched;
}

/** Why Flask cannot run with these settings, or undefined when it can. No shell is involved. */
function flaskProblem(flask: FlaskSettings): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(flask.pythonPath, ['-c', 'import flask'], { timeout: 10_000 }, (error) => {
      if (!error) return resolve(undefined);
      const missingPython = (error as NodeJS.ErrnoException).code === 'ENOENT';
      resolve(
        missingPython
          ? t('Python {0} was not found. Set localLb.flask.pythonPath to a Python interpreter.', JSON.stringify(flask.pythonPath))
          : t('Flask is not installed for {0}. Install it with "apt-get install python3-flask" or "pip install flask".', flask.pythonPath),
      );
    });
  });
}
