import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiEvent } from '../api/contract.js';
import { createFakeApi, studySummary } from '../../tests/support/fakeApi.js';
import type { WebHost } from './webHost.js';
import { startWebHost } from './webHost.js';
import { cookieNameFor } from './guards.js';

const hosts: WebHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function start(options: { insecure?: boolean } = {}) {
  const fake = createFakeApi();
  const host = await startWebHost({ api: fake.api, rendererDir: '/nonexistent', ...options });
  hosts.push(host);
  return { fake, host };
}

/** Follows the printed link once, as a browser would, and returns the cookie it set. */
async function login(host: WebHost): Promise<string> {
  const response = await fetch(host.url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

function open(host: WebHost, headers: Record<string, string>): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The HTTP status a refused upgrade got. */
function refusedStatus(host: WebHost, headers: Record<string, string>): Promise<number> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, { headers });
  socket.on('error', () => {}); // terminate() during the handshake reports an abort
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('upgrade was accepted')));
  });
}

function collectFrames(socket: WebSocket): { frames: { at: number; events: ApiEvent[] }[] } {
  const store = { frames: [] as { at: number; events: ApiEvent[] }[] };
  socket.on('message', (data) => store.frames.push({ at: Date.now(), events: JSON.parse(String(data)) as ApiEvent[] }));
  return store;
}

const epoch = (trialId: number, n: number): ApiEvent => ({ type: 'epoch', trialId, studyId: 1, epoch: n, metrics: { loss: 1 / (n + 1) } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('row 36: bind address', () => {
  it('listens on 127.0.0.1 only by default', async () => {
    const { host } = await start();
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const listening = execFileSync('ss', ['-ltnH', `sport = :${host.port}`], { encoding: 'utf8' });
    expect(listening).toContain(`127.0.0.1:${host.port}`);
    expect(listening).not.toMatch(/(0\.0\.0\.0|\*|\[::\]):\d+/);
  });
  it('binds 0.0.0.0 only when insecure', async () => {
    const { host } = await start({ insecure: true });
    const listening = execFileSync('ss', ['-ltnH', `sport = :${host.port}`], { encoding: 'utf8' });
    expect(listening).toContain(`0.0.0.0:${host.port}`);
  });
});

describe('events over WebSocket', () => {
  it('delivers events batched: several events in one frame, at most one frame per 250 ms', async () => {
    const { fake, host } = await start();
    const cookie = await login(host);
    const socket = await open(host, { cookie });
    const received = collectFrames(socket);
    for (let n = 0; n < 5; n++) fake.emit(epoch(7, n));
    await sleep(400);
    expect(received.frames.length).toBe(1);
    expect(received.frames[0]?.events.map((event) => (event.type === 'epoch' ? event.epoch : -1))).toEqual([0, 1, 2, 3, 4]);

    // A steady stream for ~1 s arrives as a handful of frames, never one per event.
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < 1000) {
      fake.emit(epoch(8, n++));
      fake.emit({ type: 'study', study: studySummary(1, `tick-${n}`) });
      await sleep(10);
    }
    await sleep(400);
    const stream = received.frames.slice(1);
    expect(stream.length).toBeGreaterThanOrEqual(3);
    expect(stream.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < stream.length; i++) expect(stream[i]!.at - stream[i - 1]!.at).toBeGreaterThanOrEqual(150);
    const all = stream.flatMap((frame) => frame.events);
    expect(all.filter((event) => event.type === 'epoch').length).toBe(n);
    // Study snapshots are coalesced: one per frame, the newest.
    for (const frame of stream) expect(frame.events.filter((event) => event.type === 'study').length).toBeLessThanOrEqual(1);
    expect(all.at(-1)).toMatchObject({ type: 'study', study: { name: `tick-${n}` } });
    socket.close();
  });

  it('accepts a bearer token on the upgrade', async () => {
    const { fake, host } = await start();
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const socket = await open(host, { authorization: `Bearer ${token}` });
    const received = collectFrames(socket);
    fake.emit(epoch(1, 0));
    await sleep(400);
    expect(received.frames.length).toBe(1);
    socket.close();
  });

  it('refuses unauthorised, foreign-Host and cross-origin upgrades', async () => {
    const { host } = await start();
    const cookie = await login(host);
    expect(await refusedStatus(host, {})).toBe(401);
    const token = new URL(host.url).searchParams.get('token') ?? '';
    expect(await refusedStatus(host, { cookie: `${cookieNameFor(token)}=wrong` })).toBe(401);
    expect(await refusedStatus(host, { cookie, host: 'evil.test' })).toBe(403);
    expect(await refusedStatus(host, { cookie, host: `evil.test:${host.port}` })).toBe(403);
    expect(await refusedStatus(host, { cookie, origin: 'http://evil.test' })).toBe(403);
    // The browser's own origin is fine.
    const socket = await open(host, { cookie, origin: `http://127.0.0.1:${host.port}` });
    socket.close();
  });

  it('unsubscribes from the API on close', async () => {
    const fake = createFakeApi();
    const host = await startWebHost({ api: fake.api, rendererDir: '/nonexistent' });
    expect(fake.listenerCount()).toBe(1);
    await host.close();
    expect(fake.listenerCount()).toBe(0);
  });
});
