// The engine's public surface, for the CLI and the extension.
export { ConfigError, formatAddress, parseAddress, parsePort, validateBackendSpec } from './address';
export { findFreePort, isPortFree } from './freePort';
export { LoadBalancer, type StopOptions } from './loadBalancer';
export { mergeSnapshots } from './snapshots';
export { sendTestRequests, type TestRequestResult } from './testRequests';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_HEALTH, DEFAULT_HOST } from './options';
export * from './types';
