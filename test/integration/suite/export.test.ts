import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findFreePort } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { extensionApi, setSetting, treeRows, waitFor } from './helpers';

describe('weights and Export Configuration', () => {
  let api: LocalLbApi;
  let port: number;

  before(async () => {
    api = await extensionApi();
    port = await findFreePort();
    await setSetting('frontend.port', port);
    await setSetting('mode', 'http');
    await setSetting('backends', [{ port: 8101, weight: 3 }, 8102]);
    await waitFor('the weighted backend', () => api.balancer.get('default').snapshot().backends[0]?.weight === 3);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a backend\'s weight from the settings shows in the tree; a weight of 1 does not', () => {
    const rows = treeRows(api).filter((row) => row.label === ':8101' || row.label === ':8102');
    assert.match(rows[0].description, /weight 3/);
    assert.doesNotMatch(rows[1].description, /weight/);
  });

  it('Export Configuration writes the setup for HAProxy in a new editor', async () => {
    assert.equal(await vscode.commands.executeCommand('localLb.exportConfiguration', 'haproxy'), true);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.equal(vscode.window.activeTextEditor?.document.isUntitled, true);
    assert.match(text, /^# Written by Local LB /);
    assert.match(text, new RegExp(`^ {4}bind 127\\.0\\.0\\.1:${port}$`, 'm'));
    assert.match(text, /^ {4}mode http$/m);
    assert.match(text, /^ {4}server backend_8101 127\.0\.0\.1:8101 weight 3 check$/m);
  });

  it('Export Configuration for Kubernetes opens YAML', async () => {
    await vscode.commands.executeCommand('localLb.exportConfiguration', 'kubernetes');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.languageId, 'yaml');
    assert.match(document?.getText() ?? '', /^kind: "Service"$/m);
  });

  it('a target that does not exist is refused with a message, and no editor opens', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await vscode.commands.executeCommand('localLb.exportConfiguration', 'traefik'), false);
    assert.equal(vscode.window.activeTextEditor, undefined);
  });
});
