// What a pool with no launch setting launches: a preset (those the workspace suggests first), a
// command of the user's own, or the Procfile; the choice is saved as the pool's launch setting.
import * as vscode from 'vscode';
import { ConfigError, errorCode } from '../../balancer';
import { parseLaunchSpec, PRESET_NAMES, PRESETS, splitCommand, suggestLaunch, type LaunchSpec, type PresetName, type Suggestion } from '../../launch';
import { t } from '../l10n';
import { withFlaskSettings, workspaceFolder, type LaunchParts } from '../launching';
import { LAUNCH_DEFAULTS } from '../settingsParser';
import { writePoolSetting } from '../vsCodeSettings';

type Choice = vscode.QuickPickItem & { choice?: PresetName | 'procfile' | 'command'; suggestion?: Suggestion };

/** The launch chosen, saved; `procfile` for the Procfile; undefined when the user cancelled. */
export async function chooseLaunch(parts: LaunchParts, pool: string): Promise<LaunchSpec | 'procfile' | undefined> {
  const suggestions = await suggestLaunch(workspaceFolder());
  const suggested = (name: string): Suggestion | undefined => suggestions.find((suggestion) => suggestion.preset === name);
  const items: Choice[] = [
    ...suggestions.map((suggestion): Choice => ({
      label: suggestion.preset === 'procfile' ? t('Procfile…') : PRESETS[suggestion.preset].label,
      description: t('suggested: {0}', suggestion.reason),
      choice: suggestion.preset,
      suggestion,
    })),
    { label: t('Presets'), kind: vscode.QuickPickItemKind.Separator },
    ...PRESET_NAMES.filter((name) => !suggested(name)).map((name): Choice => ({ label: PRESETS[name].label, description: PRESETS[name].command('{target}', 'python3').join(' ').replace('{target}', PRESETS[name].target?.default ?? ''), choice: name })),
    { label: t('A command of your own…'), description: t('{port} is its port; PORT is set too'), choice: 'command' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: pool === 'default' ? t('Launch Backends') : t('Launch the backends of pool {0}', pool), placeHolder: t('What starts one copy of your app?') });
  if (!picked?.choice) return undefined;
  if (picked.choice === 'procfile') return 'procfile';
  const value: Record<string, unknown> = {};
  if (picked.choice === 'command') {
    const line = await vscode.window.showInputBox({
      title: t('A command of your own'),
      prompt: t('The command that starts one copy, run without a shell: {port} and {index} are filled in, and PORT is set.'),
      value: 'python3 -m http.server {port} --bind 127.0.0.1',
      validateInput: (text) => commandProblem(text),
    });
    if (line === undefined) return undefined;
    value.command = line;
  } else {
    value.preset = picked.choice;
    const what = PRESETS[picked.choice].target;
    if (what) {
      const target = await vscode.window.showInputBox({
        title: t('{0}: the {1} to start', PRESETS[picked.choice].label, what.what),
        value: picked.suggestion?.target ?? what.default,
        validateInput: (text) => (text.trim() === '' ? t('Give the {0}.', what.what) : undefined),
      });
      if (target === undefined) return undefined;
      if (target.trim() !== what.default) value.target = target.trim();
    }
  }
  const spec = parseLaunchSpec(value, 'localLb.launch', LAUNCH_DEFAULTS);
  await writePoolSetting(pool, 'launch', value);
  parts.log.info(t('Pool {0} launches {1}; its launch setting now says so.', pool, JSON.stringify(value)));
  return withFlaskSettings(spec, parts.balancer.settings, parts.sampleFlaskApp);
}

function commandProblem(text: string): string | undefined {
  try {
    splitCommand(text, 'command');
    return undefined;
  } catch (error) {
    if (errorCode(error) === undefined || !(error instanceof ConfigError)) throw error;
    return error.message;
  }
}
