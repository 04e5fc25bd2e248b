// A time-series chart of the panel (uPlot): made once, fed new data with `setData`, made again only
// when its series or colours change.
import uPlot from 'uplot';
import type { Palette } from './colors';

export interface Line {
  label: string;
  values: Array<number | null>;
  color: string;
  dashed?: boolean;
  width?: number;
}

const HEIGHT = 180;

export class TimeChart {
  private plot?: uPlot;
  private shape = '';
  /** The pointer is over the plot: the legend follows it, not the last second. */
  private hovering = false;

  constructor(
    private readonly root: HTMLElement,
    /** Named in the axis, e.g. `req/s` or `ms`. */
    private readonly unit: () => string,
    /** Epoch seconds as the time axis and the legend show them. */
    private readonly time: (second: number) => string,
  ) {
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(root);
  }

  draw(seconds: number[], lines: Line[], palette: Palette): void {
    const data: uPlot.AlignedData = [seconds, ...lines.map((line) => line.values)];
    const shape = `${this.unit()}|${palette.foreground}|${lines.map((line) => `${line.label}:${line.color}:${line.dashed}`).join('|')}`;
    if (this.plot && shape === this.shape) {
      this.plot.setData(data);
      this.showLatest();
      return;
    }
    this.plot?.destroy();
    this.shape = shape;
    const axis = { stroke: palette.foreground, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1 } };
    const time = (second: number | null): string => (second === null ? '' : this.time(second));
    this.plot = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        // Room on the right for half of the last time label, which is centred on the plot's edge.
        padding: [null, 32, null, null],
        series: [
          { label: 'Time', value: (_self: uPlot, second: number | null) => time(second) },
          ...lines.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: line.width ?? 1.5,
            dash: line.dashed ? [5, 4] : undefined,
            spanGaps: false,
            value: (_self: uPlot, value: number | null) => (value === null || value === undefined ? '–' : value.toLocaleString()),
          })),
        ],
        axes: [{ ...axis, space: 80, values: (_self: uPlot, splits: number[]) => splits.map(time) }, { ...axis, label: this.unit(), size: 56 }],
        scales: { y: { range: (_self: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.1 : 1] } },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      this.root,
    );
    this.plot.over.addEventListener('mouseenter', () => (this.hovering = true));
    this.plot.over.addEventListener('mouseleave', () => {
      this.hovering = false;
      this.showLatest();
    });
    this.showLatest();
  }

  /** The legend gives the last second's values while no pointer is over the chart: live figures, not dashes. */
  private showLatest(): void {
    const plot = this.plot;
    if (plot && !this.hovering) plot.setLegend({ idx: plot.data[0].length - 1 });
  }

  /** Where the chart plots, in CSS pixels from the chart's left edge: other views align with it. */
  plotArea(): { left: number; width: number } | undefined {
    if (!this.plot) return undefined;
    const over = this.plot.over.getBoundingClientRect();
    return { left: over.left - this.root.getBoundingClientRect().left, width: over.width };
  }

  private width(): number {
    return Math.max(200, this.root.clientWidth);
  }
}
