// `npm run demo`: three Flask backends, the balancer in front of them, and a burst of requests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort, isListening, isPortFree, LoadBalancer, sendTestRequests } from '../src/balancer';

const FRONTEND_PORT = 8080;
const BACKEND_PORTS = [8101, 8102, 8103];
const REQUESTS = 12;
const APP = join(__dirname, '..', 'samples', 'flask', 'app.py');

/** $LOCAL_LB_PYTHON when set; else the first of python3 on the PATH and Debian's that has Flask. */
function findFlaskPython(): { python?: string; tried: string[] } {
  const chosen = process.env.LOCAL_LB_PYTHON;
  const tried = chosen ? [chosen] : ['python3', '/usr/bin/python3'];
  return { python: tried.find((python) => spawnSync(python, ['-c', 'import flask'], { stdio: 'ignore' }).status === 0), tried };
}

/** The preferred port when it is free, else a free one, saying so. */
async function pickPort(preferred: number, what: string): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  const port = await findFreePort();
  console.log(`Port ${preferred} is taken, so the ${what} uses port ${port} instead.`);
  return port;
}

async function waitUntilListening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await isListening(port))) {
    if (child.exitCode !== null) throw new Error(`Flask on port ${port} exited with code ${child.exitCode}:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`Flask on port ${port} did not start within 20 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startFlask(python: string, port: number): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(python, ['-m', 'flask', 'run', '--port', String(port)], {
    env: { ...process.env, FLASK_APP: APP, MSG: `hello from server on port ${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  return { child, ready: waitUntilListening(port, child, () => output) };
}

async function stopFlask(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function main(): Promise<number> {
  const { python, tried } = findFlaskPython();
  if (!python) {
    console.error(
      `Flask was not found for ${tried.join(' or ')}. Install it with one of:\n` +
        '  sudo apt-get install python3-flask      (Debian, Ubuntu)\n' +
        '  python3 -m pip install flask\n' +
        'or point LOCAL_LB_PYTHON at a Python that has Flask.',
    );
    return 1;
  }
  const backendPorts: number[] = [];
  for (const port of BACKEND_PORTS) backendPorts.push(await pickPort(port, `backend meant for ${port}`));
  const frontendPort = await pickPort(FRONTEND_PORT, 'balancer');

  const flasks = backendPorts.map((port) => startFlask(python, port));
  const balancer = new LoadBalancer({
    port: frontendPort,
    backends: backendPorts.map((port) => ({ host: '127.0.0.1', port })),
    health: { type: 'http', path: '/health' },
  });
  const stopAll = async (): Promise<void> => {
    await balancer.stop();
    await stopFlask(flasks.map((flask) => flask.child));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    console.log(`Starting Flask backends on ports ${backendPorts.join(', ')} (${python} -m flask run)…`);
    await Promise.all(flasks.map((flask) => flask.ready));
    await balancer.start();
    console.log(`Local LB listens on 127.0.0.1:${frontendPort}, the same as:`);
    console.log(`  local-lb -f ${frontendPort} ${backendPorts.map((port) => `-p ${port}`).join(' ')} --health http:/health\n`);
    console.log(`Sending ${REQUESTS} requests to http://127.0.0.1:${frontendPort}/`);
    const results = await sendTestRequests(balancer, REQUESTS);
    results.forEach(({ status, body, error }, i) => {
      const answer = error ? `failed: ${error}` : status === 200 ? body : `HTTP ${status}: ${body}`;
      console.log(`${String(i + 1).padStart(3)}. ${answer}`);
    });
    console.log('\nConnections per backend:');
    for (const backend of balancer.snapshot().backends) {
      const bar = '█'.repeat(backend.totalConnections);
      console.log(`  :${backend.port}  ${String(backend.totalConnections).padStart(2)}  ${bar}  ${backend.sharePercent.toFixed(0)}%`);
    }
    return 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`Demo failed: ${error.message}`);
    process.exitCode = 1;
  },
);
