// Which processes a program started, and whether a process group has any left: for proving that
// launched copies stop, children and all.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { freePorts } from '../../src/launch';
import { WATCHER_NAME } from '../../src/launch/groupWatcher';

/** The direct children of `pid` but the watcher of launched copies (`src/launch/groupWatcher.ts`): the copies it launched. */
export function childPids(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    return children.filter((child) => !commandLine(child).endsWith(WATCHER_NAME));
  } catch {
    return [];
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
  } catch {
    return '';
  }
}

/** The live (not zombie) processes of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid pgrp …: comm may hold spaces, so fields are read after its ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(name));
    } catch {
      // Gone while read.
    }
  }
  return members;
}

/** The first of `python3` on the PATH and Debian's that imports every one of `modules`. */
export function pythonWith(...modules: string[]): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', modules.map((module) => `import ${module}`).join('; ')], { stdio: 'ignore' });
      return python;
    } catch {
      // Try the next.
    }
  }
  throw new Error(`No Python here imports ${modules.join(', ')}: scripts/setup-frameworks.sh installs them.`);
}

/**
 * A base port for launched copies, below the ephemeral range (32768–60999 on Linux): a copy's port
 * from that range may be taken by any outgoing connection between its check and its bind.
 * The launcher skips ports in use from there.
 */
export function launchBasePort(): number {
  return 20_000 + Math.floor(Math.random() * 9_000);
}

/** `count` ports free now, from a base below the ephemeral range (`launchBasePort`), for copies to listen on. */
export function freeLaunchPorts(count: number): Promise<number[]> {
  return freePorts(launchBasePort(), count, new Set(), () => undefined);
}
