// Toxiproxy's API in VS Code: proxies a test suite creates through it show as pools marked
// toxiproxy, their toxics as faults, both ways; turning the setting off ends them.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Toxiproxy } from 'toxiproxy-node-client';
import { findFreePorts, isListening } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { extensionApi, httpBackends, setSetting, treeRows, waitFor } from './helpers';

describe('the toxiproxy API in VS Code', () => {
  let api: LocalLbApi;
  let backends: Awaited<ReturnType<typeof httpBackends>>;
  let client: Toxiproxy;
  let port: number;

  before(async () => {
    api = await extensionApi();
    backends = await httpBackends(['db']);
    [port] = await findFreePorts(1);
    await setSetting('toxiproxyApi.port', port);
    await setSetting('toxiproxyApi.enabled', true);
    await waitFor('the API listening', () => api.toxiproxy.port === port);
    client = new Toxiproxy(`http://127.0.0.1:${port}`);
  });

  after(async () => {
    await setSetting('toxiproxyApi.enabled', undefined);
    await setSetting('toxiproxyApi.port', undefined);
    await backends.close();
  });

  it('a proxy created through the API shows as a pool marked toxiproxy, with its upstream under it', async () => {
    const proxy = await client.createProxy({ name: 'redis', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backends.ports[0]}` });
    await waitFor('the pool redis', () => api.balancer.pools.some((pool) => pool.name === 'redis'));
    api.tree.refresh();
    const rows = treeRows(api);
    const row = rows.find((candidate) => candidate.label === 'redis');
    assert.ok(row, JSON.stringify(rows));
    assert.match(row.description, new RegExp(`^toxiproxy · ${proxy.listen.replace('127.0.0.1', '')} 1/1`));
    assert.equal(row.contextValue, 'pool.toxiproxy');
    await proxy.remove();
  });

  it('a toxic added through the API shows as a fault; a fault added in VS Code is a toxic the API lists', async () => {
    const proxy = await client.createProxy({ name: 'cache', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backends.ports[0]}` });
    await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
    await waitFor('the fault in the pool', () => api.balancer.get('cache').snapshot().backends[0]?.faults?.[0]?.name === 'slow');
    await vscode.commands.executeCommand('localLb.addFault', `cache/${backends.ports[0]}`, { type: 'reset_peer', name: 'cut' });
    const toxics = (await (await fetch(`http://127.0.0.1:${port}/proxies/cache/toxics`)).json()) as Array<{ name: string }>;
    assert.deepEqual(toxics.map((toxic) => toxic.name), ['slow', 'cut']);
    await proxy.remove();
  });

  it('the pools of the settings are proxies too: a toxic put on one through the API is a fault on each of its backends', async () => {
    const all = (await (await fetch(`http://127.0.0.1:${port}/proxies`)).json()) as Record<string, { upstream: string }>;
    assert.ok('default' in all, JSON.stringify(Object.keys(all)));
    const added = await fetch(`http://127.0.0.1:${port}/proxies/default/toxics`, { method: 'POST', body: JSON.stringify({ name: 'from-suite', type: 'latency', attributes: { latency: 50 } }) });
    assert.equal(added.status, 200);
    const backends = api.balancer.get('default').snapshot().backends;
    assert.ok(backends.length > 0 && backends.every((backend) => backend.faults?.some((fault) => fault.name === 'from-suite')));
    assert.equal((await fetch(`http://127.0.0.1:${port}/proxies/default/toxics/from-suite`, { method: 'DELETE' })).status, 204);
    assert.ok(api.balancer.get('default').snapshot().backends.every((backend) => backend.faults === undefined));
  });

  it('Stop Balancer leaves the proxies to their API; turning the setting off ends them and the API', async () => {
    const proxy = await client.createProxy({ name: 'queue', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backends.ports[0]}` });
    const proxyPort = Number(proxy.listen.split(':')[1]);
    await vscode.commands.executeCommand('localLb.stop');
    await vscode.commands.executeCommand('localLb.stop', 'queue');
    assert.equal(await isListening(proxyPort), true, 'stopped neither with the others nor by its name');
    await setSetting('toxiproxyApi.enabled', false);
    await waitFor('the API stopped', () => api.toxiproxy.port === undefined);
    assert.deepEqual([await isListening(proxyPort), await isListening(port)], [false, false]);
    assert.equal(api.balancer.pools.some((pool) => pool.name === 'queue'), false);
    await setSetting('toxiproxyApi.enabled', true);
    await waitFor('the API again', () => api.toxiproxy.port === port);
  });
});
