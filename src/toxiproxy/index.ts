// A drop-in toxiproxy server over Local LB's pools, for the CLI and the extension.
export { startToxiproxyApi, TOXIPROXY_VERSION, type ToxiproxyApi } from './apiServer';
export { ToxiproxyProxies, type ProxyJson, type SharedPool } from './proxies';
