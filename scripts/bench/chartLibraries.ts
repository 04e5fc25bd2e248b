// Compares the two charting libraries the traffic panel could use, uPlot and Chart.js, as the panel
// would use them: bundle size (minified, gzipped), and the cost of a redraw with 5 series of 300
// points, in headless Chromium. `npm run bench:charts`; docs/traffic-panel.md has the figures.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const SERIES = 5;
const POINTS = 300;
const REDRAWS = 300;

/** Each page makes its chart, then redraws it with new data `REDRAWS` times; reports ms per redraw. */
const SOURCES: Record<string, string> = {
  uPlot: `
    import uPlot from 'uplot';
    import 'uplot/dist/uPlot.min.css';
    window.run = async (data) => {
      const chart = new uPlot({ width: 800, height: 180, series: [{}, ...data.slice(1).map((_, i) => ({ stroke: 'hsl(' + i * 60 + ',70%,50%)' }))] }, data, document.body);
      const times = [];
      for (let i = 0; i < ${REDRAWS}; i++) {
        const shifted = data.map((values, s) => s === 0 ? values.map((x) => x + i) : values.map((y) => y + (i % 7)));
        const started = performance.now();
        chart.setData(shifted);
        await Promise.resolve();
        times.push(performance.now() - started);
      }
      return times;
    };`,
  'Chart.js': `
    import { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip } from 'chart.js';
    Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);
    window.run = async (data) => {
      const canvas = document.createElement('canvas');
      document.body.style.width = '800px';
      document.body.append(canvas);
      const xy = (x, ys) => ys.map((y, i) => ({ x: x[i], y }));
      const chart = new Chart(canvas, {
        type: 'line',
        data: { datasets: data.slice(1).map((ys) => ({ data: xy(data[0], ys), pointRadius: 0, borderWidth: 1.5 })) },
        options: { animation: false, responsive: false, parsing: false, normalized: true, scales: { x: { type: 'linear' } } },
      });
      const times = [];
      for (let i = 0; i < ${REDRAWS}; i++) {
        const x = data[0].map((v) => v + i);
        const started = performance.now();
        chart.data.datasets.forEach((dataset, s) => (dataset.data = xy(x, data[s + 1].map((y) => y + (i % 7)))));
        chart.update('none');
        times.push(performance.now() - started);
      }
      return times;
    };`,
};

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'local-lb-charts-'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const data = [Array.from({ length: POINTS }, (_, i) => 1_700_000_000 + i), ...Array.from({ length: SERIES }, (_, s) => Array.from({ length: POINTS }, (_, i) => Math.round(50 + 40 * Math.sin((i + s * 30) / 20))))];
    console.log(`library    bundle min   gzip    redraw median (${SERIES} series × ${POINTS} points)   p95`);
    for (const [name, source] of Object.entries(SOURCES)) {
      const entry = join(folder, `${name.replace('.', '')}.js`);
      writeFileSync(entry, source);
      const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'iife', write: false, outdir: folder, nodePaths: [join(process.cwd(), 'node_modules')] });
      const script = result.outputFiles.filter((file) => file.path.endsWith('.js')).map((file) => file.text).join('\n');
      const css = result.outputFiles.filter((file) => file.path.endsWith('.css')).map((file) => file.text).join('\n');
      const page = await browser.newPage();
      await page.setContent(`<style>${css}</style><body></body>`);
      await page.addScriptTag({ content: script });
      const times = (await page.evaluate((points) => (globalThis as unknown as { run: (data: number[][]) => Promise<number[]> }).run(points), data)).sort((a, b) => a - b);
      await page.close();
      const size = Buffer.byteLength(script) + Buffer.byteLength(css);
      const at = (q: number): string => times[Math.floor(q * (times.length - 1))].toFixed(2);
      console.log(`${name.padEnd(10)} ${(size / 1024).toFixed(1).padStart(7)} KB ${(gzipSync(script + css).length / 1024).toFixed(1).padStart(6)} KB   ${at(0.5).padStart(8)} ms${' '.repeat(35)}${at(0.95)} ms`);
    }
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
