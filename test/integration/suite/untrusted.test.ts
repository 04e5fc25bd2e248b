import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findFreePort } from '../../../src/balancer/freePort';
import { extensionApi, httpBackends, setSetting, waitFor } from './helpers';

describe('Local LB in Restricted Mode', () => {
  it('runs in a workspace that is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('refuses to launch backends, in every form, and opens no terminal', async () => {
    for (const command of ['localLb.launchFlaskBackends', 'localLb.launchBackends', 'localLb.launchFromProcfile', 'localLb.launchBackendTerminal']) {
      assert.deepEqual(await vscode.commands.executeCommand(command, command === 'localLb.launchBackendTerminal' ? '8101' : undefined), [], command);
    }
    assert.deepEqual(vscode.window.terminals, []);
  });

  it('ignores the launch setting of the workspace', () => {
    assert.deepEqual(vscode.workspace.getConfiguration('localLb').get('launch'), {});
  });

  it('ignores the Python path in the workspace\'s settings', () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const written = JSON.parse(readFileSync(join(folder, '.vscode', 'settings.json'), 'utf8'));
    assert.equal(written['localLb.flask.pythonPath'], '/nonexistent/workspace-python');
    assert.equal(vscode.workspace.getConfiguration('localLb').get('flask.pythonPath'), 'python3');
  });

  it('still balances: the balancer only opens sockets', async () => {
    const api = await extensionApi();
    const backends = await httpBackends(['only']);
    try {
      await setSetting('frontend.port', await findFreePort());
      await setSetting('backends', backends.ports);
      await waitFor('the backend from the settings', () => api.balancer.get('default').snapshot().backends[0]?.port === backends.ports[0]);
      assert.equal(await vscode.commands.executeCommand('localLb.start'), true);
      const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 2)) as Array<{ body?: string }>;
      assert.deepEqual(results.map((result) => result.body), ['only', 'only']);
    } finally {
      await vscode.commands.executeCommand('localLb.stop');
      await backends.close();
    }
  });
});
