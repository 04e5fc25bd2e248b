// Local LB: Add Fault…: makes a backend slow, flaky, throttled or dead, from a preset or built by hand.
import * as vscode from 'vscode';
import { ConfigError, CONNECTION_FAULT_TYPES, FAULT_ATTRIBUTES, FAULT_STREAMS, FAULT_TYPES, isRequestFault, validateFault, type Fault, type FaultSpec, type FaultType, type Mode } from '../../balancer';
import { t } from '../l10n';
import type { Services } from '../services';
import { faultPresets } from './faultPresets';
import { pickBackend, type BackendTarget } from './pickBackend';

/** With `spec` (tests, other callers), no question is asked. Returns the fault added. */
export async function addFault(parts: Pick<Services, 'balancer' | 'terminals'>, target?: BackendTarget, spec?: FaultSpec): Promise<Fault | undefined> {
  const picked = await pickBackend(parts, target, t('Add a fault to which backend?'));
  if (!picked) return undefined;
  const { pool, backend } = picked;
  const taken = new Set((backend.faults ?? []).map((fault) => fault.name));
  const chosen = spec ?? (await chooseFault(taken, pool.snapshot().frontend.mode));
  if (!chosen) return undefined;
  try {
    return pool.addFault(backend.id, chosen);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return undefined;
  }
}

async function chooseFault(taken: Set<string>, mode: Mode): Promise<FaultSpec | undefined> {
  const custom = { label: `$(edit) ${t('Custom…')}`, detail: t('type, stream, toxicity and attributes, as toxiproxy names them') };
  const presets = faultPresets(mode).map((preset) => ({ ...preset, label: `$(zap) ${preset.label}` }));
  const picked = await vscode.window.showQuickPick([...presets, custom], { placeHolder: t('Which fault?') });
  if (!picked) return undefined;
  const preset = presets.find((candidate) => candidate === picked);
  if (!preset) return customFault(taken, mode);
  // A preset added twice to one backend gets a numbered name.
  const base = String(preset.spec.name);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return { ...preset.spec, name };
}

/** Type, stream, toxicity, then each attribute, each checked as it is typed. Request faults need HTTP mode and have no stream. */
async function customFault(taken: Set<string>, mode: Mode): Promise<FaultSpec | undefined> {
  const types = mode === 'http' ? FAULT_TYPES : CONNECTION_FAULT_TYPES;
  const type = (await vscode.window.showQuickPick([...types], { placeHolder: t('Fault type') })) as FaultType | undefined;
  if (!type) return undefined;
  const perRequest = isRequestFault(type);
  const stream = perRequest
    ? { label: 'downstream' }
    : await vscode.window.showQuickPick(
        FAULT_STREAMS.map((value) => ({ label: value, description: value === 'downstream' ? t('backend → client') : t('client → backend') })),
        { placeHolder: t('Which direction?') },
      );
  if (!stream) return undefined;
  const chance = perRequest ? t('Toxicity: the chance, per request, that the fault applies (0 to 1)') : t('Toxicity: the chance, per connection, that the fault applies (0 to 1)');
  const toxicity = await askNumber(chance, '1', (value) => (value >= 0 && value <= 1 ? undefined : t('Expected a number from 0 to 1.')));
  if (toxicity === undefined) return undefined;
  const attributes: Record<string, number> = {};
  for (const [key, rule] of Object.entries(FAULT_ATTRIBUTES[type])) {
    const value = await askNumber(`${type} ${key} (${rule.unit})`, rule.default === undefined ? '' : String(rule.default), (entered) =>
      entered < rule.min ? t('Expected at least {0}.', rule.min) : rule.max !== undefined && entered > rule.max ? t('Expected at most {0}.', rule.max) : undefined,
    );
    if (value === undefined) return undefined;
    attributes[key] = value;
  }
  const spec: FaultSpec = { type, stream: stream.label, toxicity, attributes };
  // The engine checks again; this tells the user now, with the same words, and catches a taken name.
  try {
    validateFault(spec, taken);
  } catch (error) {
    if (error instanceof ConfigError) void vscode.window.showErrorMessage(error.message);
    return undefined;
  }
  return spec;
}

async function askNumber(prompt: string, value: string, check: (value: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt,
    value,
    validateInput: (entered) => {
      const number = Number(entered.trim());
      if (entered.trim() === '' || !Number.isFinite(number)) return t('{0} is not a number.', JSON.stringify(entered));
      return check(number);
    },
  });
  return text === undefined ? undefined : Number(text.trim());
}
