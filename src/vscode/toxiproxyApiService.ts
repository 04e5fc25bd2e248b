// Toxiproxy's API in VS Code: served on loopback while `localLb.toxiproxyApi.enabled`, its proxies
// shown in the Backends view as pools marked toxiproxy, their toxics as faults; they end with the
// window, as toxiproxy's proxies end with its process.
import * as vscode from 'vscode';
import { formatAddress } from '../balancer';
import { version } from '../../package.json';
import { startToxiproxyApi, ToxiproxyProxies, TOXIPROXY_VERSION, type ToxiproxyApi } from '../toxiproxy';
import type { BalancerService } from './balancerService';
import { t } from './l10n';
import type { ExtensionSettings } from './settingsParser';

export class ToxiproxyApiService implements vscode.Disposable {
  private served?: { api: ToxiproxyApi; proxies: ToxiproxyProxies; port: number };

  constructor(
    private readonly balancer: BalancerService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Where the API listens, while it does. */
  get port(): number | undefined {
    return this.served?.api.address.port;
  }

  /** Serves the API, moves it to another port, or ends it (and its proxies), as the settings say. */
  async applySettings({ toxiproxyApi: { enabled, port } }: ExtensionSettings): Promise<void> {
    if (this.served && (!enabled || this.served.port !== port)) await this.close();
    if (!enabled || this.served) return;
    // The pools of the settings are proxies too, for suites to put toxics on; a proxy may not take their names.
    const proxies = new ToxiproxyProxies(() => this.balancer.settingsPools.map((pool) => ({ name: pool.name, balancer: pool.loadBalancer })));
    proxies.on('changed', () => this.balancer.setApiPools(proxies.pools));
    try {
      const api = await startToxiproxyApi(proxies, { host: '127.0.0.1', port }, version);
      this.served = { api, proxies, port };
      this.log.info(t('Toxiproxy API on http://{0} (as toxiproxy {1}): the proxies created through it show in the Backends view.', formatAddress(api.address), TOXIPROXY_VERSION));
    } catch (error) {
      await proxies.close();
      this.log.error((error as Error).message);
      void vscode.window.showErrorMessage(t('Local LB could not serve the toxiproxy API: {0}', (error as Error).message));
    }
  }

  /** Ends the API and every proxy made through it. */
  async close(): Promise<void> {
    const served = this.served;
    if (!served) return;
    this.balancer.setApiPools([]);
    await Promise.all([served.api.close(), served.proxies.close()]);
    this.served = undefined;
    this.log.info(t('The toxiproxy API stopped, and its proxies with it.'));
  }

  dispose(): void {
    void this.close();
  }
}
