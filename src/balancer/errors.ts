// The engine's errors, each with a stable code that callers tell them apart by (as undici's
// errors.js does); the message is for people and may change.
export const ERROR_CODES = [
  /** A value given by a user is wrong: a port, a weight, a fault's attribute, a setting. */
  'LLB_BAD_VALUE',
  /** What was named does not exist: a backend, a fault. */
  'LLB_NOT_FOUND',
  /** What was asked for would make a duplicate: a backend given twice, a fault's name taken. */
  'LLB_CONFLICT',
  /** A backend did not accept a connection within the connect timeout. */
  'LLB_CONNECT_TIMEOUT',
  /** A connection moved no byte for the idle timeout. */
  'LLB_IDLE_TIMEOUT',
  /** The handles data path failed its self-test and was asked for by name. */
  'LLB_SELF_TEST_FAILED',
  /** Started while running. */
  'LLB_ALREADY_RUNNING',
  /** Needs a running balancer. */
  'LLB_NOT_RUNNING',
  /** The frontend's port is taken. */
  'LLB_PORT_IN_USE',
  /** The frontend cannot listen for another reason: not allowed, not an address of this machine. */
  'LLB_LISTEN_FAILED',
  /** What an app's launch needs is missing: a file, a Python module, a program. */
  'LLB_LAUNCH_NEEDS',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class LocalLbError extends Error {
  abstract readonly code: ErrorCode;
}

/** A bad value given by a user; its message names it and is meant to be shown as it is. */
export class ConfigError extends LocalLbError {
  override name = 'ConfigError';
  readonly code: ErrorCode = 'LLB_BAD_VALUE';
}

/** What launching an app needs and does not find; the message names it and how to install it. */
export class MissingNeedError extends LocalLbError {
  override name = 'MissingNeedError';
  readonly code = 'LLB_LAUNCH_NEEDS';
}

/** A backend or a fault that does not exist; a user's mistake too. */
export class NotFoundError extends ConfigError {
  override name = 'NotFoundError';
  override readonly code = 'LLB_NOT_FOUND';
}

/** A duplicate: a backend given twice, a fault name already taken. */
export class ConflictError extends ConfigError {
  override name = 'ConflictError';
  override readonly code = 'LLB_CONFLICT';
}

export class ConnectTimeoutError extends LocalLbError {
  override name = 'ConnectTimeoutError';
  readonly code = 'LLB_CONNECT_TIMEOUT';

  /** `where`: the backend's `host:port`. */
  constructor(where: string, readonly timeoutMs: number) {
    super(`connect to ${where} timed out after ${timeoutMs} ms`);
  }
}

export class IdleTimeoutError extends LocalLbError {
  override name = 'IdleTimeoutError';
  readonly code = 'LLB_IDLE_TIMEOUT';

  constructor(readonly idleMs: number) {
    super(`idle for ${idleMs} ms`);
  }
}

export class SelfTestError extends ConfigError {
  override name = 'SelfTestError';
  override readonly code = 'LLB_SELF_TEST_FAILED';
}

/** Started while running, or asked of a balancer that is not running. */
export class StateError extends LocalLbError {
  override name = 'StateError';

  constructor(
    readonly code: 'LLB_ALREADY_RUNNING' | 'LLB_NOT_RUNNING',
    message: string,
  ) {
    super(message);
  }
}

/** The frontend could not listen; `cause` is the system's error, with its own code (`EADDRINUSE`, …). */
export class ListenError extends LocalLbError {
  override name = 'ListenError';

  constructor(
    readonly code: 'LLB_PORT_IN_USE' | 'LLB_LISTEN_FAILED',
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** The code of an engine error, or undefined for any other thrown value. */
export function errorCode(error: unknown): ErrorCode | undefined {
  return error instanceof LocalLbError ? error.code : undefined;
}
