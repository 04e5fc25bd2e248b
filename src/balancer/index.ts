// The engine's public surface, for the CLI and the extension: nothing outside src/balancer imports more.
export { assertNoDuplicates, ConfigError, formatAddress, MAX_WEIGHT, parseAddress, parsePort, validateBackendSpec, validateWeight } from './address';
export { findFreePort, isPortFree } from './freePort';
export { DEFAULT_HOST, isLoopbackHost, isWildcardHost, reachableHost } from './hosts';
export { closedLine, openedLine, requestLine } from './log';
export { LoadBalancer, type StopOptions } from './loadBalancer';
export { mergeSnapshots } from './snapshots';
export { sendTestRequests, type TestRequestResult } from './testRequests';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_DRAIN_MS,
  DEFAULT_HEALTH,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  resolveOptions, validateDataPath, validateMode, validateStrategy } from './options';
export * from './types';
export { assertFaultFitsMode, describeFault, FAULT_ATTRIBUTES, isRequestFault, validateFault } from './faults/fault';
export * from './traffic/trafficTypes';
export { LATENCY_BUCKETS_MS, type LatencyHistogram, type Percentiles } from './traffic/histogram';
export { addRecords, sliceRecord, toUpdate } from './traffic/trafficRecords';
export type { TrafficRecorder } from './traffic/trafficRecorder';
export { parsePanelMessage, type PanelMessage, type TrafficMessage } from './traffic/panelMessages';
export { RecentEntries } from './traffic/recentEntries';
export { exportConfig, validateExportTarget } from './export/exportConfig';
export { EXPORT_TARGETS, type ExportTarget } from './export/exportSetup';
