// What a workspace suggests launching, read from its files, best first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suggestLaunch } from '../../src/launch';

describe('launch suggestions from a workspace', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'local-lb-detect-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const write = (files: Record<string, string>): void => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  };
  const suggested = async (): Promise<Array<[string, string | undefined, string]>> => (await suggestLaunch(folder)).map((s) => [s.preset, s.target, s.reason]);

  it('requirements.txt naming fastapi suggests FastAPI, with the module that makes the app', async () => {
    write({ 'requirements.txt': 'fastapi==0.110\nuvicorn[standard]\n', 'server.py': 'from fastapi import FastAPI\napp = FastAPI()\n' });
    assert.deepEqual(await suggested(), [['fastapi', 'server', 'requirements.txt names fastapi']]);
  });

  it('pyproject.toml naming flask suggests Flask with the file that makes the app', async () => {
    write({ 'pyproject.toml': '[project]\ndependencies = ["Flask>=3"]\n', 'hello.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    assert.deepEqual(await suggested(), [['flask', 'hello.py', 'pyproject.toml names flask']]);
  });

  it('a top-level file that makes a FastAPI or Flask app suggests it, with no requirements file', async () => {
    write({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    assert.deepEqual(await suggested(), [['flask', 'app.py', 'app.py makes a Flask app']]);
  });

  it('manage.py suggests Django; a name that only contains a framework\'s does not', async () => {
    write({ 'manage.py': '', 'requirements.txt': 'flask-cors-helper-fastapiish\n' });
    assert.deepEqual(await suggested(), [['django', undefined, 'manage.py']]);
  });

  it('package.json with a start script suggests npm; without one, node with its main file', async () => {
    write({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }) });
    assert.deepEqual(await suggested(), [['npm', undefined, 'package.json has a start script']]);
    write({ 'package.json': JSON.stringify({ main: 'index.js' }) });
    assert.deepEqual(await suggested(), [['node', 'index.js', 'package.json']]);
  });

  it('a Procfile comes first, then the rest: go.mod suggests Go', async () => {
    write({ Procfile: 'web: ./app\n', 'go.mod': 'module x\n' });
    assert.deepEqual(await suggested(), [['procfile', undefined, 'Procfile'], ['go', undefined, 'go.mod']]);
  });

  it('an empty or missing folder suggests nothing', async () => {
    assert.deepEqual(await suggested(), []);
    assert.deepEqual(await suggestLaunch(join(folder, 'missing')), []);
  });
});
