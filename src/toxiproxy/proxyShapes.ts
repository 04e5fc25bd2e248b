// What toxiproxy's API answers about proxies, and the run's own pools it shows as proxies.
import type { Fault, LoadBalancer } from '../balancer';

/** A proxy as toxiproxy's API shows it. */
export interface ProxyJson {
  name: string;
  /** The address bound, once listening (`127.0.0.1:PORT`), else as given. */
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Fault[];
  /** A pool of the run with several backends: all of them (`upstream` is the first). Clients ignore it. */
  upstreams?: string[];
}

/** A proxy's bytes each way, for `GET /metrics`. */
export interface ProxyCounters {
  proxy: string;
  listener: string;
  upstream: string;
  fromClient: number;
  toBackend: number;
  fromBackend: number;
  toClient: number;
}

/** A pool of the run that the API shows as a proxy: its listen, backends and life stay the run's. */
export interface SharedPool {
  name: string;
  balancer: LoadBalancer;
}
