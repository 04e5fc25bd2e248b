// The health band: a row per backend, a cell per second coloured by its state, and the same told
// as text (the changes, with their times) for screen readers.
import type { BandState } from '../../balancer/traffic/trafficTypes';
import type { Palette } from './colors';
import { stateChanges, type TrafficModel } from './trafficModel';

/** Each backend's row: its name above a bar of its seconds. */
const LABEL = 16;
const BAR = 10;
const ROW = LABEL + BAR + 6;

export class HealthBand {
  /** The changes last told, so that the list is rebuilt only when they change. */
  private told = '';
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly text: HTMLElement,
  ) {}

  /** `area`: where the charts plot, so that a second's cell sits under the charts' same second. */
  draw(model: TrafficModel, palette: Palette, time: (second: number) => string, area?: { left: number; width: number }): void {
    const lines = [...model.lines.values()];
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, this.canvas.parentElement?.clientWidth ?? 600);
    const height = Math.max(ROW, lines.length * ROW);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.scale(ratio, ratio);
    context.clearRect(0, 0, width, height);
    context.font = `12px ${getComputedStyle(document.body).fontFamily}`;
    context.textBaseline = 'top';
    const { left, width: span } = area ?? { left: 0, width };
    const seconds = model.seconds;
    const first = seconds[0] ?? 0;
    const range = Math.max(1, (seconds.at(-1) ?? 0) - first);
    const x = (second: number): number => left + ((second - first) / range) * span;
    lines.forEach((line, row) => {
      const y = row * ROW;
      context.fillStyle = palette.foreground;
      context.fillText(line.down ? `${line.label} · ${line.down}` : line.label, left, y, span);
      line.states.forEach((state: BandState | null, i) => {
        if (state === null) return;
        context.fillStyle = palette.states[state];
        // Whole pixels, each edge shared by neighbouring seconds: no seam, no overlap.
        const from = Math.round(Math.max(left, x(seconds[i] - 0.5)));
        const to = Math.round(Math.min(left + span, x(seconds[i] + 0.5)));
        context.fillRect(from, y + LABEL, to - from, BAR);
      });
    });
    const changes = stateChanges(model, time);
    if (changes.join() === this.told) return;
    this.told = changes.join();
    this.text.replaceChildren(...changes.map((change) => Object.assign(document.createElement('li'), { textContent: change })));
  }
}
