// Launching an app's copies, for both adapters: presets, launch configurations, Procfiles, copies
// on their ports. Plain Node: the CLI prints the copies' lines, VS Code shows them in terminals.
export { appCommand, type AppCommand } from './appCommand';
export { AppCopy, READY_TIMEOUT_MS, restartPause, type CopyEvents } from './appCopy';
export { fillIn, splitCommand } from './commandLine';
export { Copies, freePorts, type ReplicaPlan } from './copies';
export { suggestLaunch, type Suggestion } from './detect';
export { DEFAULT_BASE_PORT, defaultLaunch, LAUNCH_FIELDS, MAX_REPLICAS, parseEnv, parseLaunchSpec, parseReplicas, type LaunchSpec } from './launchSpec';
export { PRESET_NAMES, PRESETS, isPresetName, type Preset, type PresetName } from './presets';
export { readProcfile, type ProcessType } from './procfile';
export { separateLaunches } from './poolLaunches';
