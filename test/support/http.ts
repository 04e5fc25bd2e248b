// One HTTP GET on a new connection, for tests that check what a server answers.
import { get } from 'node:http';

export interface Answer {
  status: number;
  type: string;
  body: string;
}

export function httpGet(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}
