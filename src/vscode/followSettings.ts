// The `localLb.*` settings as the balancer uses them: read once per change, each bad value named
// in the log, backends off this machine held back until the user allows them.
import * as vscode from 'vscode';
import { t } from './l10n';
import type { RemoteBackendConsent } from './remoteBackendConsent';
import type { ExtensionSettings } from './settingsParser';
import { onDidChangeSettings, readSettings } from './vsCodeSettings';

/** What applies the settings: the balancer's pools, toxiproxy's API. */
export interface SettingsUser {
  applySettings(settings: ExtensionSettings): Promise<void>;
}

export class SettingsFollower implements vscode.Disposable {
  /** The problems last reported, so that the same ones notify only once. */
  private lastProblems = '';
  private followers: SettingsUser[] = [];
  private subscription?: vscode.Disposable;

  constructor(
    private readonly consent: RemoteBackendConsent,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** From now on, each change of the settings is applied to each of `followers` (created from `read()`), in turn. */
  follow(...followers: SettingsUser[]): void {
    this.followers = followers;
    this.subscription ??= onDidChangeSettings(() => void this.apply());
  }

  /** The settings now, ready for the balancer. */
  read(): ExtensionSettings {
    const { settings, problems, ...fromWorkspace } = readSettings();
    this.report(problems);
    return this.consent.filter(settings, fromWorkspace);
  }

  /** Reads the settings again and applies them to the running balancer. */
  async apply(): Promise<void> {
    if (this.followers.length === 0) return;
    try {
      const settings = this.read();
      for (const follower of this.followers) await follower.applySettings(settings);
    } catch (error) {
      this.log.error((error as Error).message);
      void vscode.window.showErrorMessage(t('Local LB could not apply the settings: {0}', (error as Error).message));
    }
  }

  dispose(): void {
    this.subscription?.dispose();
  }

  /** Each bad setting is named in the log; one notification points there, not again for the same ones. */
  private report(problems: string[]): void {
    for (const problem of problems) this.log.warn(problem);
    const key = problems.join('\n');
    const repeated = key === this.lastProblems;
    this.lastProblems = key;
    if (problems.length === 0 || repeated) return;
    const show = t('Show Log');
    void vscode.window
      .showWarningMessage(t('Local LB ignored {0} invalid setting(s); the log names each one.', problems.length), show)
      .then((choice) => choice === show && this.log.show());
  }
}
