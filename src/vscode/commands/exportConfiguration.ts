// Local LB: Export Configuration…: the balancer's setup as HAProxy, nginx, Envoy or Kubernetes
// configuration, opened in a new untitled editor.
import * as vscode from 'vscode';
import { ConfigError, EXPORT_TARGETS, validateExportTarget, type ExportTarget } from '../../balancer';
import { t } from '../l10n';
import type { Services } from '../services';

const CHOICES: Record<ExportTarget, { label: string; detail: string; language: string }> = {
  haproxy: { label: 'HAProxy', detail: 'haproxy.cfg: mode, balance, servers with weights and checks, timeouts', language: 'plaintext' },
  nginx: { label: 'nginx', detail: 'nginx.conf: an upstream in stream {} (TCP mode) or http {} (HTTP mode)', language: 'plaintext' },
  envoy: { label: 'Envoy', detail: 'YAML, v3 API: a listener and a cluster with health checks', language: 'yaml' },
  kubernetes: { label: 'Kubernetes', detail: 'YAML: a Service and EndpointSlices for backends outside the cluster', language: 'yaml' },
};

/** `target` given (by a test or a keybinding) skips the pick. Returns whether an editor was opened. */
export async function exportConfiguration({ balancer }: Pick<Services, 'balancer'>, target?: unknown): Promise<boolean> {
  let chosen: ExportTarget;
  try {
    if (target !== undefined) chosen = validateExportTarget(String(target));
    else {
      const items = EXPORT_TARGETS.map((name) => ({ ...CHOICES[name], target: name }));
      const picked = await vscode.window.showQuickPick(items, { placeHolder: t('Export the balancer\'s setup for…') });
      if (!picked) return false;
      chosen = picked.target;
    }
    const document = await vscode.workspace.openTextDocument({ content: balancer.exportConfig(chosen), language: CHOICES[chosen].language });
    await vscode.window.showTextDocument(document, { preview: false });
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    void vscode.window.showErrorMessage(t('Cannot export: {0}', error.message));
    return false;
  }
}
