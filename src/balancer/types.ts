// Public types of the balancer engine, in one place for its users: its configuration, its
// snapshots and its events, each in a file of its own.
export * from './eventTypes';
export * from './optionTypes';
export * from './snapshotTypes';
