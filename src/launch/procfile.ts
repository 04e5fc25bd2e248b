// `--procfile FILE`: the process types of a Procfile (`web: gunicorn app:app --bind 127.0.0.1:$PORT`),
// as foreman and honcho read them; each command split into words, never run by a shell.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../balancer';
import { splitCommand } from './commandLine';

export interface ProcessType {
  name: string;
  command: string[];
}

const LINE = /^([A-Za-z0-9_-]+):\s*(.*)$/;

/** The file's process types, in order; a `ConfigError` naming the file and the line when one is not `name: command`. */
export function readProcfile(file: string): ProcessType[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`The Procfile ${JSON.stringify(file)} cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`);
  }
  const types: ProcessType[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = LINE.exec(line.trim());
    const where = `The Procfile ${JSON.stringify(file)}, line ${index + 1}`;
    if (!match || match[2].trim() === '') throw new ConfigError(`${where}: expected "name: command", as "web: python3 -m http.server $PORT".`);
    if (types.some((type) => type.name === match[1])) throw new ConfigError(`${where}: the process type "${match[1]}" is there already.`);
    try {
      types.push({ name: match[1], command: splitCommand(match[2]) });
    } catch (error) {
      if (error instanceof ConfigError) error.message = `${where}: ${error.message}`;
      throw error;
    }
  });
  if (types.length === 0) throw new ConfigError(`The Procfile ${JSON.stringify(file)} has no process type: give lines such as "web: python3 -m http.server $PORT".`);
  return types;
}
