// Several traffic records read as one: those of `--workers`' processes (the same backends, added
// up) or those of several pools (their backends side by side, named with their pool). The entries
// of all are renumbered in the order they ended, so that a reader's cursor works as on one record.
import { RecentEntries } from './recentEntries';
import { addRecords, sliceRecord } from './trafficRecords';
import { RECENT_ENTRIES, type BackendRecord, type TrafficCursor, type TrafficEntry, type TrafficRecord } from './trafficTypes';

/** How the records' backends become the merged record's, over the same seconds; `entry` marks an entry with its record's key. */
export interface Merging {
  backends(records: ReadonlyArray<{ key: string; record: TrafficRecord }>): BackendRecord[];
  entry?(entry: TrafficEntry, key: string): void;
}

export class MergedRecords {
  private readonly merged = new RecentEntries(RECENT_ENTRIES);
  /** Each record's last entry taken into `merged`, by key. */
  private readonly seqs = new Map<string, number>();

  constructor(private readonly merging: Merging) {}

  /** Where to read record `key` from next: the reader's second, and the last of its entries taken. */
  cursorOf(key: string, cursor?: TrafficCursor): TrafficCursor {
    return { second: cursor?.second ?? 0, seq: this.seqs.get(key) ?? 0 };
  }

  /** The records, each read from `cursorOf` its key, as one record since the reader's `cursor` (everything kept, without one). */
  merge(records: ReadonlyArray<{ key: string; record: TrafficRecord }>, cursor?: TrafficCursor): TrafficRecord {
    const second = cursor?.second ?? 0;
    for (const { key, record } of records) this.seqs.set(key, record.cursor.seq);
    // A second may have ended between two reads: only the seconds all of them gave.
    const from = records.length > 0 ? Math.max(...records.map(({ record }) => record.from)) : second + 1;
    const to = records.length > 0 ? Math.min(...records.map(({ record }) => record.to)) : second;
    const aligned = records.map(({ key, record }) => ({ key, record: within(record, from, to) }));
    const ended = records
      .flatMap(({ key, record }) => record.entries.map((entry) => ({ key, entry })))
      .sort((a, b) => a.entry.at + a.entry.durationMs - (b.entry.at + b.entry.durationMs));
    for (const { key, entry } of ended) {
      const slot = this.merged.next();
      Object.assign(slot, entry, { seq: slot.seq });
      this.merging.entry?.(slot, key);
    }
    return {
      mode: records[0]?.record.mode ?? 'tcp',
      from,
      to,
      backends: this.merging.backends(aligned),
      entries: this.merged.since(cursor?.seq ?? 0),
      cursor: { second: Math.max(to, second), seq: this.merged.lastSeq },
    };
  }
}

/** Processes serving the same backends: each backend's seconds added up. */
export const ADDED_UP: Merging = {
  backends: (records) => addRecords(records.map(({ record }) => record)).backends,
};

/** Pools side by side: each backend (and each entry's) named `pool/id`, its label `pool label`, the entry marked with its pool. */
export const SIDE_BY_SIDE: Merging = {
  backends: (records) => records.flatMap(({ key, record }) => record.backends.map((backend) => ({ ...backend, id: `${key}/${backend.id}`, label: `${key} ${backend.label}` }))),
  entry: (entry, key) => {
    entry.pool = key;
    if (entry.backend !== undefined) entry.backend = `${key}/${entry.backend}`;
  },
};

/** The record's seconds from `from` to `to`. */
function within(record: TrafficRecord, from: number, to: number): TrafficRecord {
  const start = from - record.from;
  const end = Math.max(start, to - record.from + 1);
  return { ...record, from, to, backends: record.backends.map((backend) => sliceRecord(backend, start, end)) };
}
