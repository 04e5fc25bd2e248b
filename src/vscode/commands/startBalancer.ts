// Local LB: Start Balancer: a port in use is explained with a way out.
import * as vscode from 'vscode';
import { errorCode, findFreePort, parsePort } from '../../balancer';
import { t } from '../l10n';
import type { Services } from '../services';

/**
 * Starts the balancer; `port` runs it on another port for this session (the setting stays).
 * Resolves with whether it runs. A port in use is explained with a way out, never by changing
 * settings behind the user's back.
 */
export async function startBalancer(parts: Pick<Services, 'balancer' | 'log'>, port?: number): Promise<boolean> {
  try {
    await parts.balancer.start(port);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    parts.log.error(message);
    if (errorCode(error) === 'LLB_PORT_IN_USE') {
      void offerAnotherPort(parts, message);
    } else {
      void vscode.window.showErrorMessage(t('Local LB could not start: {0}', message));
    }
    return false;
  }
}

async function offerAnotherPort(parts: Pick<Services, 'balancer' | 'log'>, message: string): Promise<void> {
  const openSettings = t('Open Settings');
  const another = t('Try Another Port');
  const choice = await vscode.window.showErrorMessage(t('Local LB could not start: {0}', message), openSettings, another);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'localLb.frontend.port');
  } else if (choice === another) {
    const suggestion = await findFreePort();
    const answer = await vscode.window.showInputBox({
      title: t('Start Local LB on another port'),
      prompt: t('Port for this session; the localLb.frontend.port setting stays as it is.'),
      value: String(suggestion),
      validateInput: (text) => {
        try {
          parsePort(text, 'port');
          return undefined;
        } catch (problem) {
          return (problem as Error).message;
        }
      },
    });
    if (answer !== undefined) await startBalancer(parts, parsePort(answer));
  }
}
