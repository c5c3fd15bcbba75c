import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { FromWorker } from '../../core/training/protocol.js';
import type { UtilityChild, UtilityForkOptions } from './utilitySpawner.js';
import { createUtilitySpawner } from './utilitySpawner.js';

/** A stand-in for Electron's UtilityProcess: an emitter with pid, stdio pipes and postMessage. */
class FakeUtilityProcess extends EventEmitter implements UtilityChild {
  pid: number | undefined = undefined;
  stdout = new PassThrough();
  stderr = new PassThrough();
  posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.kills++;
    return true;
  }
  spawnAs(pid: number) {
    this.pid = pid;
    this.emit('spawn');
  }
  exitWith(code: number) {
    this.pid = undefined;
    this.emit('exit', code);
  }
}

function setup() {
  const children: FakeUtilityProcess[] = [];
  const forks: [string, string[], UtilityForkOptions][] = [];
  const killPid = vi.fn();
  const spawner = createUtilitySpawner({
    workerScript: '/app/out/main/worker.js',
    fork: (path, args, options) => {
      forks.push([path, args, options]);
      const child = new FakeUtilityProcess();
      children.push(child);
      return child;
    },
    killPid,
  });
  return { spawner, children, forks, killPid };
}

describe('utilityProcess spawner', () => {
  it('forks the worker script with piped stdio and a service name', () => {
    const { spawner, forks } = setup();
    spawner.spawn('w1');
    expect(forks[0]?.[0]).toBe('/app/out/main/worker.js');
    expect(forks[0]?.[1]).toEqual([]);
    expect(forks[0]?.[2]).toMatchObject({ serviceName: 'Tunebench trial worker w1', stdio: 'pipe', env: { TUNEBENCH_WORKER_ID: 'w1' } });
  });

  it('maps postMessage/message both ways and drops malformed messages', () => {
    const { spawner, children } = setup();
    const handle = spawner.spawn('w1');
    const child = children[0]!;
    const received: FromWorker[] = [];
    handle.onMessage((message) => received.push(message));
    handle.send({ type: 'stop', trialId: 3 });
    expect(child.posted).toEqual([{ type: 'stop', trialId: 3 }]);
    child.emit('message', { type: 'heartbeat', trialId: 3 });
    child.emit('message', 'garbage');
    child.emit('message', null);
    expect(received).toEqual([{ type: 'heartbeat', trialId: 3 }]);
  });

  it('keeps the pid after exit and reports exit once, also to late listeners', async () => {
    const { spawner, children } = setup();
    const handle = spawner.spawn('w1');
    const child = children[0]!;
    child.spawnAs(4242);
    expect(handle.pid).toBe(4242);
    const exits: [number | null, string | null][] = [];
    handle.onExit((code, signal) => exits.push([code, signal]));
    child.exitWith(1);
    expect(handle.pid).toBe(4242);
    expect(exits).toEqual([[1, null]]);
    const late = await new Promise<[number | null, string | null]>((resolve) => handle.onExit((code, signal) => resolve([code, signal])));
    expect(late).toEqual([1, null]);
    handle.send({ type: 'shutdown' });
    expect(child.posted).toEqual([]);
  });

  it('names the signal it sent; SIGKILL goes by pid, SIGTERM through UtilityProcess.kill', () => {
    const { spawner, children, killPid } = setup();
    const killed = spawner.spawn('a');
    children[0]!.spawnAs(100);
    const exits: [number | null, string | null][] = [];
    killed.onExit((code, signal) => exits.push([code, signal]));
    killed.kill('SIGKILL');
    expect(killPid).toHaveBeenCalledWith(100, 'SIGKILL');
    expect(children[0]!.kills).toBe(0);
    children[0]!.exitWith(137);
    expect(exits).toEqual([[137, 'SIGKILL']]);
    killed.kill('SIGKILL');
    expect(killPid).toHaveBeenCalledTimes(1);

    const graceful = spawner.spawn('b');
    children[1]!.spawnAs(101);
    const gracefulExits: [number | null, string | null][] = [];
    graceful.onExit((code, signal) => gracefulExits.push([code, signal]));
    graceful.kill();
    expect(children[1]!.kills).toBe(1);
    children[1]!.exitWith(0);
    expect(gracefulExits).toEqual([[0, null]]);
  });

  it('keeps the tail of stderr for a crashed trial', async () => {
    const { spawner, children } = setup();
    const handle = spawner.spawn('w1');
    children[0]!.stderr.write('x'.repeat(5000));
    children[0]!.stderr.write('\nRangeError: out of memory\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(handle.stderrTail().endsWith('RangeError: out of memory\n')).toBe(true);
    expect(handle.stderrTail().length).toBe(4000);
  });
});
