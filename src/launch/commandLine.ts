// A command line (`python3 -m http.server {port}`) split into its arguments as a shell would split
// it (quotes, backslashes), but never given to a shell: `$(…)`, `;` and backticks stay text.
// `{port}` and `{index}` are filled in each copy's arguments, and so is a Procfile's `$PORT`.
import { ConfigError } from '../balancer';

/** The words of `text`: spaces separate them, quotes keep spaces in, a backslash keeps the next character. `field` names it in errors. */
export function splitCommand(text: string, field = '--launch'): string[] {
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
  if (quote) throw new ConfigError(`Invalid ${field} ${JSON.stringify(text)}: a ${quote} quote is not closed.`);
  if (started) words.push(word);
  if (words.length === 0) throw new ConfigError(`Invalid ${field} "": give the command that starts one copy, as 'python3 -m http.server {port}'.`);
  return words;
}

/** `text` for copy `index` (from 1) on `port`: `{port}`, `$PORT` and `${PORT}` are its port, `{index}` its number. */
export function fillIn(text: string, port: number, index: number): string {
  return text.replace(/\{port\}|\$\{PORT\}|\$PORT\b/g, String(port)).split('{index}').join(String(index));
}
