// A launch's command line: split as a shell would split it, never run by one, `{port}` and `{index}` filled in.
import assert from 'node:assert/strict';
import { fillIn, splitCommand } from '../../src/launch';

describe('launch command lines', () => {
  it('spaces separate words; quotes keep spaces in; a backslash keeps the next character', () => {
    assert.deepEqual(splitCommand(`python3 -m  http.server {port} "a b" 'c "d"' e\\ f`), ['python3', '-m', 'http.server', '{port}', 'a b', 'c "d"', 'e f']);
    assert.deepEqual(splitCommand(`node -e "console.log(\\"x\\")" ''`), ['node', '-e', 'console.log("x")', '']);
  });

  it('shell syntax stays text: $(…), ;, | and backticks are parts of words', () => {
    assert.deepEqual(splitCommand('echo $(id); ls | `x`'), ['echo', '$(id);', 'ls', '|', '`x`']);
  });

  it('an unclosed quote or an empty command is refused, naming it', () => {
    assert.throws(() => splitCommand(`node -e 'x`), /a ' quote is not closed/);
    assert.throws(() => splitCommand('   '), /Invalid --launch ""/);
  });

  it('{port} and {index} are filled in every word of each copy, and so is a Procfile\'s $PORT', () => {
    const fill = (words: string[], port: number, index: number): string[] => words.map((word) => fillIn(word, port, index));
    assert.deepEqual(fill(['app', '--port={port}', 'copy-{index}-{port}'], 8102, 2), ['app', '--port=8102', 'copy-2-8102']);
    assert.deepEqual(fill(['--bind', '127.0.0.1:$PORT', '${PORT}', '$PORTS'], 8103, 3), ['--bind', '127.0.0.1:8103', '8103', '$PORTS']);
  });
});
