// Faults a backend's connections can be given, as toxiproxy's toxics: checking one, and naming it
// for views. What each type does is in types/, a file each.
import { ConfigError, ConflictError } from '../errors';
import { MAX_MS, oneOf } from '../optionSchema';
import { FAULT_STREAMS, FAULT_TYPES, REQUEST_FAULT_TYPES, type Fault, type FaultSpec, type FaultType, type Mode, type RequestFaultType } from '../types';
import type { AttributeRule } from './faultType';
import { FAULT_TYPE_DEFINITIONS } from './types/index';

/** Each type's attributes, as toxiproxy names them. */
export const FAULT_ATTRIBUTES = Object.fromEntries(
  Object.entries(FAULT_TYPE_DEFINITIONS).map(([type, definition]) => [type, definition.attributes]),
) as Readonly<Record<FaultType, Readonly<Record<string, AttributeRule>>>>;

export function isRequestFault(type: FaultType): type is RequestFaultType {
  return (REQUEST_FAULT_TYPES as readonly FaultType[]).includes(type);
}

/** Whether a fault acts in `mode`: a request fault does nothing to TCP mode's connections. */
export function faultActs(fault: Pick<Fault, 'type'>, mode: Mode): boolean {
  return mode === 'http' || !isRequestFault(fault.type);
}

/** A request fault in TCP mode would never act: refused, saying what it needs. */
export function assertFaultFitsMode(spec: FaultSpec, mode: Mode): void {
  if (mode === 'tcp' && typeof spec.type === 'string' && isRequestFault(spec.type as FaultType)) {
    throw new ConfigError(`A ${spec.type} fault acts on requests: it needs HTTP mode (--mode http, or the setting localLb.mode).`);
  }
}

/**
 * Checks a fault and fills in its defaults, or throws a `ConfigError` naming the bad part. `taken`
 * holds the names of the backend's faults already on: a name is unique per backend.
 */
export function validateFault(spec: FaultSpec, taken: ReadonlySet<string> = new Set()): Fault {
  const type = oneOf(spec.type, FAULT_TYPES, 'fault type');
  const stream = spec.stream === undefined ? 'downstream' : oneOf(spec.stream, FAULT_STREAMS, 'stream');
  const toxicity = spec.toxicity === undefined ? 1 : number(spec.toxicity, 'toxicity');
  if (toxicity < 0 || toxicity > 1) throw new ConfigError(`Invalid toxicity ${String(spec.toxicity)}: expected a number from 0 to 1.`);
  const rules = FAULT_ATTRIBUTES[type];
  const given = spec.attributes ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError(`Invalid attributes ${JSON.stringify(given)}: expected an object such as {"${Object.keys(rules)[0] ?? 'key'}": 100}.`);
  }
  const attributes: Record<string, number> = {};
  for (const [key, value] of Object.entries(given)) {
    const rule = rules[key];
    if (!rule) throw new ConfigError(`Unknown attribute ${JSON.stringify(key)} for ${type}: expected ${Object.keys(rules).join(', ') || 'none'}.`);
    const checked = number(value, `${type} ${key}`);
    if (rule.max !== undefined && (checked > rule.max || !Number.isInteger(checked))) {
      throw new ConfigError(`Invalid ${type} ${key} ${String(value)}: expected a whole number from ${rule.min} to ${rule.max}.`);
    }
    if (checked < rule.min || checked > MAX_MS) {
      throw new ConfigError(`Invalid ${type} ${key} ${String(value)}: expected at least ${rule.min} (${rule.unit}).`);
    }
    attributes[key] = checked;
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (attributes[key] !== undefined) continue;
    if (rule.default === undefined) throw new ConfigError(`The ${type} fault needs ${key} (${rule.unit}).`);
    attributes[key] = rule.default;
  }
  // A request fault has no direction: its type names it.
  const name = spec.name === undefined ? (isRequestFault(type) ? type : `${type}_${stream}`) : spec.name;
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name)) {
    throw new ConfigError(`Invalid fault name ${JSON.stringify(name)}: expected 1 to 64 letters, digits, "_", "-" or ".".`);
  }
  if (taken.has(name)) throw new ConflictError(`The backend already has a fault named ${JSON.stringify(name)}: remove it first, or give another name.`);
  return { name, type, stream, toxicity, attributes };
}

/** `latency 300 ms ↓` (jitter, toxicity when below 1): how views name a fault. */
export function describeFault(fault: Fault): string {
  const what = FAULT_TYPE_DEFINITIONS[fault.type].describe(fault.attributes);
  const chance = fault.toxicity < 1 ? ` (${Math.round(fault.toxicity * 100)}%)` : '';
  return isRequestFault(fault.type) ? `${what}${chance}` : `${what} ${fault.stream === 'downstream' ? '↓' : '↑'}${chance}`;
}

function number(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new ConfigError(`Invalid ${what} ${JSON.stringify(value)}: expected a number.`);
}
