// How the benchmark measures: rounds of wrk against each contender in turn, medians, and the
// memory of contenders holding idle connections.
import { connect, type Socket } from 'node:net';
import type { Contender } from './contenders';
import { residentMegabytes } from './processes';
import { runWrk, type WrkOptions, type WrkResult } from './wrk';

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
export const SETTLE_MS = 12_000;

export interface Scenario {
  key: string;
  title: string;
  unit: string;
  path: string;
  wrk: Omit<WrkOptions, 'seconds'>;
  value(result: WrkResult): number;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Runs `scenario` against every contender, rotating who goes first each round. */
export async function measure(scenario: Scenario, contenders: Contender[]): Promise<Map<string, { value: number; p50?: number; p99?: number; errors: number }>> {
  const runs = new Map<string, WrkResult[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const contender of order) {
      const result = await runWrk(`http://127.0.0.1:${contender.port}${scenario.path}`, { ...scenario.wrk, seconds: SECONDS });
      runs.get(contender.name)?.push(result);
    }
  }
  return new Map(
    [...runs].map(([name, results]) => [
      name,
      {
        value: median(results.map(scenario.value)),
        p50: scenario.wrk.latency ? median(results.map((r) => r.p50Ms ?? NaN)) : undefined,
        p99: scenario.wrk.latency ? median(results.map((r) => r.p99Ms ?? NaN)) : undefined,
        errors: results.reduce((sum, r) => sum + r.socketErrors + r.non2xx, 0),
      },
    ]),
  );
}

/**
 * Resident memory of each contender while it holds `count` idle client connections: once right
 * after they are open (what the load before left behind counts too), and once settled, after
 * SETTLE_MS of holding them (V8 gives memory back some seconds after a load).
 */
export async function idleRss(contenders: Contender[], count: number): Promise<{ now: Record<string, number>; settled: Record<string, number> }> {
  const sockets: Socket[] = [];
  for (const contender of contenders) {
    for (let i = 0; i < count; i++) {
      sockets.push(await new Promise<Socket>((resolve, reject) => {
        const socket = connect(contender.port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      }));
    }
  }
  const measure = (): Record<string, number> => Object.fromEntries(contenders.map((contender) => [contender.name, residentMegabytes(contender.pid as number)]));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const now = measure();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const settled = measure();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { now, settled };
}
