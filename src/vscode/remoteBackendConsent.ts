// Asks before using backends off this machine that a workspace's settings name.
import * as vscode from 'vscode';
import { formatAddress, type BackendSpec } from '../balancer';
import { t } from './l10n';
import { withoutUnconsentedBackends } from './remoteBackends';
import type { ExtensionSettings } from './settingsParser';

const ALLOWED_KEY = 'localLb.allowedRemoteBackends';

export class RemoteBackendConsent {
  /** Sets already asked about in this window, so a settings change does not ask again. */
  private readonly asked = new Set<string>();

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    /** Called after the user allowed some, to apply the settings again. */
    private readonly onAllowed: () => void,
  ) {}

  /**
   * The settings without the backends still waiting for the user's yes; asks about those. Only
   * backends from the workspace's settings (`localLb.backends`, `localLb.pools`) need a yes.
   */
  filter(settings: ExtensionSettings, { backendsFromWorkspace, poolsFromWorkspace }: { backendsFromWorkspace: boolean; poolsFromWorkspace: boolean }): ExtensionSettings {
    const allowed = new Set(this.workspaceState.get<string[]>(ALLOWED_KEY, []));
    const waiting: BackendSpec[] = [];
    const usable = (backends: readonly BackendSpec[], fromWorkspace: boolean): BackendSpec[] => {
      const split = withoutUnconsentedBackends(backends, fromWorkspace, allowed);
      waiting.push(...split.needConsent);
      return split.usable;
    };
    const filtered: ExtensionSettings = {
      ...settings,
      balancer: { ...settings.balancer, backends: usable(settings.balancer.backends, backendsFromWorkspace) },
      pools: settings.pools.map((pool) => ({ ...pool, options: { ...pool.options, backends: usable(pool.options.backends, poolsFromWorkspace) } })),
    };
    if (waiting.length === 0) return settings;
    const ids = [...new Set(waiting.map((backend) => formatAddress(backend)))];
    this.log.warn(t('Not using {0} from this workspace\'s settings until you allow it: it is not on this machine.', ids.join(', ')));
    const key = ids.join(',');
    if (!this.asked.has(key)) {
      this.asked.add(key);
      void this.ask(ids);
    }
    return filtered;
  }

  /** Backends the user named themselves (Add Backend) need no question. */
  async allow(ids: string[]): Promise<void> {
    const allowed = new Set(this.workspaceState.get<string[]>(ALLOWED_KEY, []));
    await this.workspaceState.update(ALLOWED_KEY, [...allowed, ...ids]);
  }

  private async ask(ids: string[]): Promise<void> {
    const allow = t('Allow');
    const choice = await vscode.window.showWarningMessage(
      t('This workspace\'s settings ask Local LB to send traffic to {0}, which is not on this machine. Allow it for this workspace?', ids.join(', ')),
      allow,
      t('Don\'t Allow'),
    );
    if (choice !== allow) return;
    await this.allow(ids);
    this.log.info(t('Allowed {0} for this workspace.', ids.join(', ')));
    this.onAllowed();
  }
}
