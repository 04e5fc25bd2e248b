// Bundles the extension, the CLI, the demo and the benchmark (with its reference proxy) into dist/, and the
// traffic panel's script and styles (for browsers, always minified) into dist/webview/. `--production` minifies.
const { chmodSync, rmSync } = require('node:fs');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

async function main() {
  rmSync('dist', { recursive: true, force: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
    esbuild.build({ ...common, entryPoints: ['scripts/demo.ts'], outfile: 'dist/demo.js' }),
    esbuild.build({ ...common, entryPoints: ['scripts/bench/bench.ts'], outfile: 'dist/bench.js' }),
    esbuild.build({ ...common, entryPoints: ['scripts/bench/nodeFloor.ts'], outfile: 'dist/bench-node-floor.js' }),
    esbuild.build({ ...common, entryPoints: ['scripts/bench/poolCosts.ts'], outfile: 'dist/bench-pools.js' }),
    esbuild.build({ ...common, entryPoints: ['scripts/bench/chartLibraries.ts'], outfile: 'dist/bench-charts.js', external: ['esbuild', 'playwright-core'] }),
    esbuild.build({
      entryPoints: ['src/webview/traffic/main.ts'],
      outfile: 'dist/webview/traffic.js',
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      sourcemap: !production,
      sourcesContent: false,
      logLevel: 'warning',
    }),
  ]);
  // So that `dist/cli.js` runs by itself, as the `local-lb` bin does once installed.
  chmodSync('dist/cli.js', 0o755);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
