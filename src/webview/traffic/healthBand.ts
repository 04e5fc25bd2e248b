// The health band: a row per backend, a cell per second coloured by its state, and the same told
// as text (the changes, with their times) for screen readers.
import type { BandState } from '../../balancer/traffic/trafficTypes';
import type { Palette } from './colors';
import { stateChanges, type TrafficModel } from './trafficModel';

const ROW = 16;
const GAP = 4;
const LABEL = 140;

export class HealthBand {
  /** The changes last told, so that the list is rebuilt only when they change. */
  private told = '';
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly text: HTMLElement,
  ) {}

  draw(model: TrafficModel, palette: Palette, time: (second: number) => string): void {
    const lines = [...model.lines.values()];
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, this.canvas.parentElement?.clientWidth ?? 600);
    const height = Math.max(ROW, lines.length * (ROW + GAP));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.scale(ratio, ratio);
    context.clearRect(0, 0, width, height);
    context.font = `12px ${getComputedStyle(document.body).fontFamily}`;
    context.textBaseline = 'middle';
    const cells = Math.max(1, model.seconds.length);
    const cell = (width - LABEL) / cells;
    lines.forEach((line, row) => {
      const y = row * (ROW + GAP);
      context.fillStyle = palette.foreground;
      context.fillText(line.label, 0, y + ROW / 2, LABEL - 8);
      line.states.forEach((state: BandState | null, i) => {
        if (state === null) return;
        context.fillStyle = palette.states[state];
        context.fillRect(LABEL + i * cell, y, Math.ceil(cell), ROW);
      });
    });
    const changes = stateChanges(model, time);
    if (changes.join() === this.told) return;
    this.told = changes.join();
    this.text.replaceChildren(...changes.map((change) => Object.assign(document.createElement('li'), { textContent: change })));
  }
}
