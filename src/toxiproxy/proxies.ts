// Toxiproxy's proxies as Local LB's pools: a proxy is a TCP pool listening on `listen` with its
// `upstream` as its one backend, its toxics that backend's faults; enabled means listening.
import { EventEmitter } from 'node:events';
import { ConfigError, ConflictError, formatAddress, NotFoundError, poolLogPrefix, Pools, type Address, type BalancerOptions, type Fault, type FaultSpec, type LoadBalancer, type LogEntry } from '../balancer';
import { enabledOf, listenOf, nonEmpty, proxyName, upstreamOf, withZeroes, type ProxyInput } from './proxyInput';

export type { ProxyInput } from './proxyInput';

/** A proxy as toxiproxy's API shows it. */
export interface ProxyJson {
  name: string;
  /** The address bound, once listening (`127.0.0.1:PORT`), else as given. */
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Fault[];
}

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

  /** `taken(name)`: a name another part of the balancer uses (a pool of the settings), refused as a conflict. */
  constructor(private readonly taken: (name: string) => boolean = () => false) {
    super();
  }

  /** Every proxy's pool and its options (as an export writes them), for views. */
  get pools(): ReadonlyArray<{ name: string; balancer: LoadBalancer; options: BalancerOptions }> {
    return [...this.proxies.values()].map(({ name, balancer, listen, upstream }) => ({ name, balancer, options: { host: listen.host, port: listen.port, backends: [upstream], mode: 'tcp', health: false } }));
  }

  list(): ProxyJson[] {
    return [...this.proxies.values()].map((proxy) => this.json(proxy));
  }

  show(name: string): ProxyJson {
    return this.json(this.get(name));
  }

  /** A new proxy, listening unless `enabled` is false; a `ConflictError` when the name is taken. */
  async create(input: ProxyInput): Promise<ProxyJson> {
    const name = proxyName(input.name);
    if (this.proxies.has(name) || this.taken(name)) throw new ConflictError(`proxy already exists: ${JSON.stringify(name)}`);
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

  /** Changes `listen`, `upstream` and `enabled` as given; the others stay. */
  async update(name: string, input: ProxyInput): Promise<ProxyJson> {
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

  /** Stops the proxy (its connections closed) and forgets it. */
  async remove(name: string): Promise<void> {
    this.get(name);
    this.proxies.delete(name);
    await this.engines.remove(name);
    this.emit('changed');
  }

  /** Every proxy enabled, every toxic removed. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) proxy.balancer.clearFaults();
    await Promise.all([...this.proxies.values()].map((proxy) => this.settle(proxy, true)));
  }

  toxics(name: string): Fault[] {
    const proxy = this.get(name);
    return [...proxy.balancer.faults(formatAddress(proxy.upstream))];
  }

  toxic(name: string, toxic: string): Fault {
    const found = this.toxics(name).find((candidate) => candidate.name === toxic);
    if (!found) throw new NotFoundError(`toxic not found: ${JSON.stringify(toxic)}`);
    return found;
  }

  addToxic(name: string, spec: FaultSpec): Fault {
    const proxy = this.get(name);
    return proxy.balancer.addFault(formatAddress(proxy.upstream), withZeroes(spec));
  }

  /** A toxic's `attributes` (merged into its own) and `toxicity` changed; its name, type and stream stay. */
  updateToxic(name: string, toxic: string, change: { attributes?: unknown; toxicity?: unknown }): Fault {
    const old = this.toxic(name, toxic);
    const attributes = change.attributes === undefined ? {} : change.attributes;
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw new ConfigError('bad request body: "attributes" must be an object');
    const spec: FaultSpec = { name: old.name, type: old.type, stream: old.stream, toxicity: change.toxicity ?? old.toxicity, attributes: { ...old.attributes, ...attributes } };
    const backend = formatAddress(this.get(name).upstream);
    const { balancer } = this.get(name);
    balancer.removeFault(backend, old.name);
    try {
      return balancer.addFault(backend, spec);
    } catch (error) {
      // A bad change leaves the toxic as it was.
      balancer.addFault(backend, old);
      throw error;
    }
  }

  removeToxic(name: string, toxic: string): void {
    const proxy = this.get(name);
    this.toxic(name, toxic);
    proxy.balancer.removeFault(formatAddress(proxy.upstream), toxic);
  }

  /** Stops every proxy, at once. */
  async close(): Promise<void> {
    await this.engines.stopAll();
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
    } else if (this.taken(name)) {
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
