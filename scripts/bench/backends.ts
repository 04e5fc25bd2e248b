// What the contenders forward to: a fast static HTTP server with a big file, and Flask.
import { openSync, writeFileSync, writeSync, closeSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/balancer';
import { isExecutable, startProcess, temporaryFolder, waitForPort } from './processes';

const NGINX = '/usr/sbin/nginx';
const BIG_FILE_MB = 256;

export interface HttpBackend {
  kind: string;
  port: number;
  /** Path of a big file, for bulk throughput. */
  bigPath: string;
}

/** nginx from Debian when present (it is not the bottleneck), else a Node http server. Says which. */
export async function startStaticBackend(): Promise<HttpBackend> {
  const port = await findFreePort();
  // tmpfs when there is one, so the disk plays no part.
  const root = temporaryFolder(process.platform === 'linux' ? '/dev/shm' : tmpdir(), 'local-lb-bench-');
  chmodSync(root, 0o755);
  const big = openSync(join(root, 'big.bin'), 'w');
  const megabyte = Buffer.alloc(1024 * 1024, 7);
  for (let i = 0; i < BIG_FILE_MB; i++) writeSync(big, megabyte);
  closeSync(big);
  chmodSync(join(root, 'big.bin'), 0o644);
  if (isExecutable(NGINX)) {
    const config = join(root, 'nginx.conf');
    writeFileSync(
      config,
      `worker_processes 1; daemon off; pid ${join(root, 'nginx.pid')}; error_log stderr warn;
events { worker_connections 8192; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000000; keepalive_timeout 65;
  client_body_temp_path ${root}; proxy_temp_path ${root}; fastcgi_temp_path ${root}; uwsgi_temp_path ${root}; scgi_temp_path ${root};
  server { listen 127.0.0.1:${port} backlog=4096; root ${root}; location = / { return 200 "hello\\n"; } }
}
`,
    );
    const child = startProcess(NGINX, ['-e', 'stderr', '-p', root, '-c', config]);
    await waitForPort(port, child);
    return { kind: 'nginx', port, bigPath: '/big.bin' };
  }
  const script = `
    const http = require('http'); const fs = require('fs');
    http.createServer((req, res) => {
      if (req.url === '/big.bin') fs.createReadStream(${JSON.stringify(join(root, 'big.bin'))}).pipe(res);
      else res.end('hello\\n');
    }).listen(${port}, '127.0.0.1');`;
  const child = startProcess(process.execPath, ['-e', script]);
  await waitForPort(port, child);
  return { kind: 'node http', port, bigPath: '/big.bin' };
}

/** Three `flask run` servers of the sample app. */
export async function startFlaskBackends(app: string): Promise<number[]> {
  const ports = [await findFreePort(), await findFreePort(), await findFreePort()];
  await Promise.all(
    ports.map((port) => {
      const child = startProcess('python3', ['-m', 'flask', 'run', '--port', String(port)], { FLASK_APP: app, MSG: `hello from ${port}` });
      return waitForPort(port, child);
    }),
  );
  return ports;
}
