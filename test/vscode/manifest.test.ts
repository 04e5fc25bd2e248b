// package.json's settings agree with the option schema: the same ranges, choices and defaults as
// the engine and the settings parser use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POOL_FIELDS } from '../../src/balancer/poolConfig';
import { LAUNCH_FIELDS } from '../../src/launch';
import { CHOICE_SETTINGS, NUMBER_SETTINGS } from '../../src/vscode/settingsSchema';
import { ROOT } from '../support/process';

interface ManifestSetting {
  type: string;
  properties?: Record<string, unknown>;
  items?: { properties?: Record<string, unknown> & { launch?: { properties?: Record<string, unknown> } } };
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
}

const properties = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ManifestSetting> } };
}).contributes.configuration.properties;
const setting = (key: string): ManifestSetting => properties[`localLb.${key}`];

describe('package.json settings against the option schema', () => {
  for (const [key, rule] of Object.entries(NUMBER_SETTINGS)) {
    it(`localLb.${key}: an integer from ${rule.min} to ${rule.max}, ${rule.default} by default`, () => {
      const { type, minimum, maximum, default: fallback } = setting(key);
      assert.deepEqual({ type, minimum, maximum, default: fallback }, { type: 'integer', minimum: rule.min, maximum: rule.max, default: rule.default });
    });
  }

  for (const [key, rule] of Object.entries(CHOICE_SETTINGS)) {
    it(`localLb.${key}: one of ${rule.choices.join(', ')}, ${rule.default} by default`, () => {
      const { type, enum: choices, default: fallback } = setting(key);
      assert.deepEqual({ type, choices: [...(choices ?? [])].sort(), default: fallback }, { type: 'string', choices: [...rule.choices].sort(), default: rule.default });
    });
  }

  it('every integer or enum setting in package.json is in the schema', () => {
    const inSchema = new Set([...Object.keys(NUMBER_SETTINGS), ...Object.keys(CHOICE_SETTINGS)].map((key) => `localLb.${key}`));
    const outside = Object.entries(properties).filter(([name, value]) => (value.type === 'integer' || value.enum) && !inSchema.has(name)).map(([name]) => name);
    assert.deepEqual(outside, []);
  });

  it('localLb.pools: a list of pools with the fields a pool has, and its launch, no more, no fewer', () => {
    assert.deepEqual(Object.keys(setting('pools').items?.properties ?? {}), [...POOL_FIELDS, 'launch']);
  });

  it('localLb.launch and a pool\'s launch have the fields a launch has, no more, no fewer', () => {
    assert.deepEqual(Object.keys(setting('launch').properties ?? {}), [...LAUNCH_FIELDS]);
    assert.deepEqual(Object.keys(setting('pools').items?.properties?.launch?.properties ?? {}), [...LAUNCH_FIELDS]);
  });
});
