// This process's limit of open files, so the balancer can refuse clients cleanly before it hits it.
import { readFileSync } from 'node:fs';

/**
 * The soft limit on open files (`ulimit -n`), from /proc on Linux; undefined where it cannot be
 * read or is unlimited.
 */
export function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
