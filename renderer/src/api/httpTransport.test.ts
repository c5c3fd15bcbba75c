import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport, reconnectDelay } from './httpTransport.js';

const base = { href: 'http://127.0.0.1:4321/app/?x=1', protocol: 'http:' } as Location;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createHttpTransport.call', () => {
  it('POSTs JSON to the call prefix with the same-origin cookie and returns the ApiResponse', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, value: [1] }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const response = await createHttpTransport(base).call('studies.list', {});
    expect(response).toEqual({ ok: true, value: [1] });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:4321/api/call/studies.list');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
  });

  it('passes server errors through and explains a non-JSON 401', async () => {
    const error = { name: 'TunebenchError', code: 'NOT_FOUND', message: 'no study 9', issues: [] };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ ok: false, error }), { status: 404 })));
    expect(await createHttpTransport(base).call('studies.get', { study: 9 })).toEqual({ ok: false, error });
    vi.stubGlobal('fetch', vi.fn(async () => new Response('unauthorized', { status: 401 })));
    const denied = await createHttpTransport(base).call('studies.list', {});
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.message).toBe('HTTP 401 from studies.list — open the link that `tunebench serve` printed');
  });

  it('turns a network failure into a readable error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const response = await createHttpTransport(base).call('studies.list', {});
    expect(response).toEqual({
      ok: false,
      error: { name: 'TunebenchError', code: 'INTERNAL', message: 'cannot reach the Tunebench host (Failed to fetch)', issues: [] },
    });
  });
});

describe('reconnectDelay', () => {
  it('doubles from half a second and caps at ten', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  isClosed = false;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  close(): void {
    this.isClosed = true;
    this.onclose?.();
  }
}

describe('createHttpTransport.subscribe', () => {
  it('shares one socket, delivers batched events, reconnects with backoff and closes 2 s after the last listener', async () => {
    vi.useFakeTimers();
    FakeSocket.made = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    const transport = createHttpTransport(base);
    const seen: unknown[] = [];
    const stopA = transport.subscribe((event) => seen.push(['a', event.type]));
    const stopB = transport.subscribe((event) => seen.push(['b', event.type]));
    expect(FakeSocket.made.map((socket) => socket.url)).toEqual(['ws://127.0.0.1:4321/api/events']);
    const first = FakeSocket.made[0]!;
    first.onopen?.();
    first.onmessage?.({ data: JSON.stringify([{ type: 'epoch' }, { type: 'trial' }]) });
    first.onmessage?.({ data: 'not json' });
    expect(seen).toEqual([['a', 'epoch'], ['b', 'epoch'], ['a', 'trial'], ['b', 'trial']]);
    first.onclose?.();
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.made).toHaveLength(2);
    stopA();
    expect(FakeSocket.made[1]?.isClosed).toBe(false);
    stopB();
    const stopC = transport.subscribe(() => {});
    stopC();
    expect(FakeSocket.made).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeSocket.made[1]?.isClosed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.made[1]?.isClosed).toBe(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeSocket.made).toHaveLength(2);
    vi.useRealTimers();
  });
});
