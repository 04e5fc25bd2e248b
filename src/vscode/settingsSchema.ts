// Which `localLb.*` setting holds which engine option, with the engine's own range, choices and
// default (the option schema): the settings parser reads by this, and a test holds package.json to it.
import { CHOICE_RULES, NUMBER_RULES, type NumberRule } from '../balancer';

export const DEFAULT_FRONTEND_PORT = 8080;

/** The settings that are whole numbers (milliseconds for times, as the engine takes them). */
export const NUMBER_SETTINGS: Record<string, NumberRule> = {
  'frontend.port': { what: 'frontend port', unit: 'count', min: 1, max: 65535, default: DEFAULT_FRONTEND_PORT },
  'healthCheck.interval': NUMBER_RULES.healthIntervalMs,
  'healthCheck.timeout': NUMBER_RULES.healthTimeoutMs,
  'healthCheck.rise': NUMBER_RULES.healthRise,
  'healthCheck.fall': NUMBER_RULES.healthFall,
  connectTimeout: NUMBER_RULES.connectTimeoutMs,
  drainTimeout: NUMBER_RULES.drainMs,
  requestTimeout: NUMBER_RULES.requestTimeoutMs,
  responseTimeout: NUMBER_RULES.responseTimeoutMs,
  /** Toxiproxy's own port, so that suites written for it find the API where they look. */
  'toxiproxyApi.port': { what: 'toxiproxy API port', unit: 'count', min: 1, max: 65535, default: 8474 },
};

export interface ChoiceSetting<T extends string> {
  choices: readonly T[];
  default: T;
}

/** The settings that are one of a list. */
export const CHOICE_SETTINGS = {
  strategy: CHOICE_RULES.strategy,
  // The extension balances requests unless told: what a developer watching their web app wants.
  mode: { choices: CHOICE_RULES.mode.choices, default: 'http' },
  dataPath: CHOICE_RULES.dataPath,
  'healthCheck.type': { choices: [...CHOICE_RULES.healthType.choices, 'off'], default: CHOICE_RULES.healthType.default },
} as const satisfies Record<string, ChoiceSetting<string>>;
