// Toxiproxy's proxies as Local LB's pools: a proxy is a TCP pool listening on `listen` with its
// `upstream` as its one backend, its toxics that backend's faults; enabled means listening.
import { EventEmitter } from 'node:events';
import { ConfigError, ConflictError, formatAddress, NotFoundError, poolLogPrefix, Pools, type Address, type BalancerOptions, type Fault, type FaultSpec, type LoadBalancer, type LogEntry } from '../balancer';
import { addToxic, removeToxic, toxicOf, toxicsOf, updateToxic, type ToxicTarget } from './poolToxics';
import type { ProxyCounters, ProxyJson, SharedPool } from './proxyShapes';
import { enabledOf, listenOf, nonEmpty, proxyName, upstreamOf, type ProxyInput } from './proxyInput';
import { backendIds, sharedJson, updateShared } from './sharedPools';

export type { ProxyCounters, ProxyJson, SharedPool } from './proxyShapes';
export type { ProxyInput } from './proxyInput';

interface Proxy {
  name: string;
  listen: Address;
  upstream: Address;
  /** `upstream` as the client wrote it (`localhost:6379`): what the API answers, as toxiproxy does. */
  upstreamText: string;
  enabled: boolean;
  balancer: LoadBalancer;
}

export interface ProxiesEvents {
  /** A proxy was created or deleted: the pools to show changed. */
  changed: [];
  /** A proxy's pool was made, with what its log lines start with. */
  created: [balancer: LoadBalancer, prefix: string];
  log: [entry: LogEntry, prefix: string];
}

/** Where a proxy listens when `listen` is left out: a free port, on loopback. */
const ANY_PORT: Address = { host: '127.0.0.1', port: 0 };

export class ToxiproxyProxies extends EventEmitter<ProxiesEvents> {
  private readonly engines = new Pools();
  private readonly proxies = new Map<string, Proxy>();

  /** `shared()`: the run's own pools (of `--config`, of the settings), shown as proxies too: a suite may put toxics on them. */
  constructor(private readonly shared: () => readonly SharedPool[] = () => []) {
    super();
  }

  /** Every proxy's pool and its options (as an export writes them), for views. */
  get pools(): ReadonlyArray<{ name: string; balancer: LoadBalancer; options: BalancerOptions }> {
    return [...this.proxies.values()].map(({ name, balancer, listen, upstream }) => ({ name, balancer, options: { host: listen.host, port: listen.port, backends: [upstream], mode: 'tcp', health: false } }));
  }

  list(): ProxyJson[] {
    return this.everyPool().map(({ name }) => this.show(name));
  }

  show(name: string): ProxyJson {
    const pool = this.proxies.has(name) ? undefined : this.sharedPool(name);
    return pool ? sharedJson(pool) : this.json(this.get(name));
  }

  /** A new proxy, listening unless `enabled` is false; a `ConflictError` when the name is taken. */
  async create(input: ProxyInput): Promise<ProxyJson> {
    const name = proxyName(input.name);
    if (this.proxies.has(name) || this.sharedPool(name)) throw new ConflictError(`proxy already exists: ${JSON.stringify(name)}`);
    const proxy = this.make(name, input);
    await this.settle(proxy, enabledOf(input.enabled, true));
    return this.json(proxy);
  }

  /**
   * Creates or replaces each proxy of the list, checked whole first; an existing one with the same
   * listen and upstream stays as it is. Stops at the first that fails, with those done before it.
   */
  async populate(inputs: unknown): Promise<{ proxies: ProxyJson[]; error?: unknown }> {
    if (!Array.isArray(inputs)) throw new ConfigError('bad request body: expected a list of proxies');
    inputs.forEach((input: ProxyInput, index) => {
      if (typeof input !== 'object' || input === null) throw new ConfigError(`bad request body: proxy ${index + 1} is not an object`);
      if (!nonEmpty(input.name)) throw new ConfigError(`missing required field: name at proxy ${index + 1}`);
      if (!nonEmpty(input.upstream)) throw new ConfigError(`missing required field: upstream at proxy ${index + 1}`);
    });
    const done: ProxyJson[] = [];
    for (const input of inputs as ProxyInput[]) {
      try {
        done.push(await this.replace(input));
      } catch (error) {
        return { proxies: done, error };
      }
    }
    return { proxies: done };
  }

  /** Changes `listen`, `upstream` and `enabled` as given; the others stay. A pool of the run takes `enabled` only. */
  async update(name: string, input: ProxyInput): Promise<ProxyJson> {
    const pool = this.proxies.has(name) ? undefined : this.sharedPool(name);
    if (pool) return updateShared(pool, input);
    const proxy = this.get(name);
    const listen = input.listen === undefined ? proxy.listen : listenOf(input.listen);
    const upstream = input.upstream === undefined ? proxy.upstream : upstreamOf(input.upstream);
    const enabled = enabledOf(input.enabled, proxy.enabled);
    if (formatAddress(listen) !== formatAddress(proxy.listen) || formatAddress(upstream) !== formatAddress(proxy.upstream)) {
      await proxy.balancer.stop();
      proxy.listen = listen;
      proxy.upstream = upstream;
      proxy.upstreamText = (input.upstream as string | undefined)?.trim() ?? proxy.upstreamText;
      proxy.balancer.configure({ host: listen.host, port: listen.port, backends: [upstream] });
    }
    await this.settle(proxy, enabled);
    return this.json(proxy);
  }

  /** Stops the proxy (its connections closed) and forgets it; a pool of the run stays the run's. */
  async remove(name: string): Promise<void> {
    if (!this.proxies.has(name) && this.sharedPool(name)) throw new ConflictError(`proxy ${JSON.stringify(name)} is a pool of Local LB's own: remove it where it is set (its settings, or --config)`);
    this.get(name);
    this.proxies.delete(name);
    await this.engines.remove(name);
    this.emit('changed');
  }

  /** Every proxy enabled, every toxic removed (the run's own pools lose their toxics; starting them stays the run's). */
  async reset(): Promise<void> {
    for (const { balancer } of this.shared()) balancer.clearFaults();
    for (const proxy of this.proxies.values()) proxy.balancer.clearFaults();
    await Promise.all([...this.proxies.values()].map((proxy) => this.settle(proxy, true)));
  }

  /** Each proxy's bytes (of connections closed), as toxiproxy's metrics count them. */
  counters(): ProxyCounters[] {
    return this.everyPool().map(({ name, balancer }) => {
      const { frontend, backends } = balancer.snapshot();
      const json = this.show(name);
      return {
        proxy: name,
        listener: json.listen,
        upstream: json.upstream,
        fromClient: frontend.bytesIn,
        toBackend: backends.reduce((sum, backend) => sum + backend.bytesSent, 0),
        fromBackend: backends.reduce((sum, backend) => sum + backend.bytesReceived, 0),
        toClient: frontend.bytesOut,
      };
    });
  }

  toxics(name: string): Fault[] {
    return toxicsOf(this.target(name));
  }

  toxic(name: string, toxic: string): Fault {
    return toxicOf(this.target(name), toxic);
  }

  addToxic(name: string, spec: FaultSpec): Fault {
    return addToxic(this.target(name), spec);
  }

  updateToxic(name: string, toxic: string, change: { attributes?: unknown; toxicity?: unknown }): Fault {
    return updateToxic(this.target(name), toxic, change);
  }

  removeToxic(name: string, toxic: string): void {
    removeToxic(this.target(name), toxic);
  }

  /** Stops every proxy, at once. */
  async close(): Promise<void> {
    await this.engines.stopAll();
  }

  /** Every proxy's name and pool: those made through the API, then the run's own (a name taken by both is the API's). */
  private everyPool(): SharedPool[] {
    return [...[...this.proxies.values()].map(({ name, balancer }) => ({ name, balancer })), ...this.shared().filter(({ name }) => !this.proxies.has(name))];
  }

  private sharedPool(name: string): SharedPool | undefined {
    return this.shared().find((pool) => pool.name === name);
  }

  /** Where the toxics of `name` go: a proxy's upstream, or every backend of a pool of the run. */
  private target(name: string): ToxicTarget {
    const proxy = this.proxies.get(name);
    if (proxy) return { balancer: proxy.balancer, backends: [formatAddress(proxy.upstream)] };
    const pool = this.sharedPool(name);
    if (pool) return { balancer: pool.balancer, backends: backendIds(pool.balancer) };
    throw new NotFoundError(`proxy not found: ${JSON.stringify(name)}`);
  }

  private get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new NotFoundError(`proxy not found: ${JSON.stringify(name)}`);
    return proxy;
  }

  private make(name: string, input: ProxyInput): Proxy {
    const listen = input.listen === undefined || input.listen === '' ? ANY_PORT : listenOf(input.listen);
    const upstream = upstreamOf(input.upstream);
    const balancer = this.engines.add({ name, options: { host: listen.host, port: listen.port, backends: [upstream], mode: 'tcp', health: false } });
    balancer.on('log', (entry) => this.emit('log', entry, poolLogPrefix(name)));
    const proxy: Proxy = { name, listen, upstream, upstreamText: (input.upstream as string).trim(), enabled: false, balancer };
    this.proxies.set(name, proxy);
    this.emit('created', balancer, poolLogPrefix(name));
    this.emit('changed');
    return proxy;
  }

  /** Populate's create or replace: a proxy that exists with the same listen and upstream is kept. */
  private async replace(input: ProxyInput): Promise<ProxyJson> {
    const name = proxyName(input.name);
    const existing = this.proxies.get(name);
    const enabled = enabledOf(input.enabled ?? null, true);
    if (existing) {
      const listen = input.listen === undefined || input.listen === '' ? existing.listen : listenOf(input.listen);
      const same = formatAddress(upstreamOf(input.upstream)) === formatAddress(existing.upstream) && (listen.port === 0 || formatAddress(listen) === formatAddress(existing.listen));
      if (same) return this.json(existing);
      await this.remove(name);
    } else if (this.sharedPool(name)) {
      throw new ConflictError(`proxy already exists: ${JSON.stringify(name)}`);
    }
    const proxy = this.make(name, input);
    await this.settle(proxy, enabled);
    return this.json(proxy);
  }

  /** Listening when `enabled`, on the address it bound first (so that enabled again, it is where it was); not, with its connections closed. */
  private async settle(proxy: Proxy, enabled: boolean): Promise<void> {
    proxy.enabled = enabled;
    if (!enabled) {
      await proxy.balancer.stop();
      return;
    }
    if (proxy.balancer.running) return;
    try {
      const bound = await proxy.balancer.start();
      proxy.listen = bound;
      proxy.balancer.configure({ port: bound.port });
    } catch (error) {
      proxy.enabled = false;
      throw error;
    }
  }

  private json({ name, listen, upstream, upstreamText, enabled, balancer }: Proxy): ProxyJson {
    return { name, listen: formatAddress(listen), upstream: upstreamText, enabled, toxics: [...balancer.faults(formatAddress(upstream))] };
  }
}
