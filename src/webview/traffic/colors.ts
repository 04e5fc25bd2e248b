// The panel's colours, read from the theme: VS Code's `--vscode-charts-*` and editor colours in a
// webview, the page's own fallbacks when the admin endpoint serves it (see traffic.css).
import type { BandState } from '../../balancer/traffic/trafficTypes';

/** Colours a backend may take, in order; red, which says down, is not among them. */
const SERIES_VARIABLES = ['--lb-series-1', '--lb-series-2', '--lb-series-3', '--lb-series-4', '--lb-series-5', '--lb-series-6'];

export interface Palette {
  series: string[];
  foreground: string;
  grid: string;
  states: Record<BandState, string>;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const read = (name: string): string => style.getPropertyValue(name).trim() || 'gray';
  return {
    series: SERIES_VARIABLES.map(read),
    foreground: read('--lb-foreground'),
    grid: read('--lb-grid'),
    states: {
      unknown: read('--lb-state-unknown'),
      up: read('--lb-state-up'),
      down: read('--lb-state-down'),
      draining: read('--lb-state-draining'),
      disabled: read('--lb-state-disabled'),
      faulty: read('--lb-state-faulty'),
    },
  };
}

/** Calls `changed` when the theme changes: VS Code sets the body's class and style then. */
export function onThemeChange(changed: () => void): void {
  new MutationObserver(changed).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}
