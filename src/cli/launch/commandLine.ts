// `--launch 'python3 -m http.server {port}'`: a command line split into its arguments as a shell
// would split it (quotes, backslashes), but never given to a shell: `$(…)`, `;` and backticks stay
// text. `{port}` and `{index}` are filled in each copy's arguments, and so is a Procfile's `$PORT`.
import { ConfigError } from '../../balancer';

/** The words of `text`: spaces separate them, quotes keep spaces in, a backslash keeps the next character. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += char;
      started = true;
    }
  }
  if (quote) throw new ConfigError(`Invalid --launch ${JSON.stringify(text)}: a ${quote} quote is not closed.`);
  if (started) words.push(word);
  if (words.length === 0) throw new ConfigError('Invalid --launch "": give the command that starts one copy, as \'python3 -m http.server {port}\'.');
  return words;
}

/** The arguments of copy `index` (from 1) on `port`: `{port}`, `$PORT` and `${PORT}` are its port, `{index}` its number. */
export function fillIn(words: readonly string[], port: number, index: number): string[] {
  return words.map((word) => word.replace(/\{port\}|\$\{PORT\}|\$PORT\b/g, String(port)).split('{index}').join(String(index)));
}
