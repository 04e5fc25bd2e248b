// Lint: TypeScript's recommended checks, and the layering of the code: the engine (src/balancer)
// knows nothing of the CLI or VS Code; the CLI and the extension reach it through its index.ts, and
// share src/toxiproxy and src/launch, which know neither;
// only src/vscode and src/extension.ts import vscode; the webview (src/webview) runs in a browser and
// takes only the traffic record's types and constants from the engine.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'Only src/vscode and src/extension.ts talk to VS Code.' };
const ENGINE_BY_INDEX = {
  group: ['**/balancer/*', '!**/balancer/index'],
  message: 'Reach the engine through its public surface: import from src/balancer (its index.ts).',
};

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/balancer/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_VSCODE],
          patterns: [{ group: ['**/vscode/**', '**/cli/**', '**/cli', '**/toxiproxy/**', '**/toxiproxy', '**/launch/**', '**/launch', '**/extension'], message: 'The engine knows nothing of the CLI, the toxiproxy API, launching or VS Code.' }],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_VSCODE],
          patterns: [
            { group: ['node:*'], message: 'The webview runs in a browser.' },
            { regex: 'balancer/(?!types$|traffic/trafficTypes$|traffic/panelMessages$)', message: 'The webview takes only the traffic record\'s types from the engine.' },
            { group: ['**/cli/**', '**/vscode/**'], message: 'The webview knows nothing of its hosts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/toxiproxy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [NO_VSCODE], patterns: [ENGINE_BY_INDEX, { group: ['**/vscode/**', '**/cli/**', '**/cli', '**/extension'], message: 'The toxiproxy API serves the CLI and the extension alike: it knows neither.' }] },
      ],
    },
  },
  {
    files: ['src/launch/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [NO_VSCODE], patterns: [ENGINE_BY_INDEX, { group: ['**/vscode/**', '**/cli/**', '**/cli', '**/toxiproxy/**', '**/toxiproxy', '**/extension'], message: 'Launching serves the CLI and the extension alike: it knows neither.' }] },
      ],
    },
  },
  {
    files: ['src/cli.ts', 'src/cli/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [ENGINE_BY_INDEX, { group: ['**/vscode/**'], message: 'The CLI knows nothing of the extension.' }] }] },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_BY_INDEX, { group: ['**/cli/**', '**/cli'], message: 'The extension knows nothing of the CLI.' }] }] },
  },
);
