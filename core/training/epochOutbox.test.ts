import { describe, expect, it } from 'vitest';
import { EpochOutbox } from './epochOutbox.js';
import type { EpochReport, FromWorker } from './protocol.js';

const report = (trialId: number, epoch: number): EpochReport => ({ type: 'epoch', trialId, epoch, metrics: { loss: 1 / (epoch + 1) } });

function outboxAt(clock: { ms: number }) {
  const sent: FromWorker[] = [];
  const outbox = new EpochOutbox({ send: (message) => sent.push(message) }, 100, () => clock.ms);
  return { sent, outbox };
}

describe('EpochOutbox', () => {
  it('sends the first report at once and holds the next ones until the interval has passed', () => {
    const clock = { ms: 0 };
    const { sent, outbox } = outboxAt(clock);
    outbox.epoch(report(1, 0), false);
    expect(sent).toEqual([report(1, 0)]);
    for (let epoch = 1; epoch <= 3; epoch += 1) {
      clock.ms += 30;
      outbox.epoch(report(1, epoch), false);
    }
    expect(sent).toHaveLength(1);
    clock.ms += 10; // 100 ms since the last send
    outbox.epoch(report(1, 4), false);
    expect(sent).toEqual([report(1, 0), { type: 'epochs', reports: [1, 2, 3, 4].map((epoch) => report(1, epoch)) }]);
  });

  it('sends held reports before any other message, so epochs always precede their done', () => {
    const clock = { ms: 0 };
    const { sent, outbox } = outboxAt(clock);
    outbox.epoch(report(1, 0), false);
    outbox.epoch(report(1, 1), false);
    outbox.epoch(report(2, 0), false);
    outbox.send({ type: 'done', trialId: 1, end: { state: 'complete', epochsRun: 2 } });
    outbox.send({ type: 'heartbeat', trialId: 2 });
    expect(sent.map((message) => message.type)).toEqual(['epoch', 'epochs', 'done', 'heartbeat']);
    expect(sent[1]).toEqual({ type: 'epochs', reports: [report(1, 1), report(2, 0)] });
  });

  it('sends a report that awaits the engine verdict at once, after those held before it', () => {
    const clock = { ms: 0 };
    const { sent, outbox } = outboxAt(clock);
    outbox.epoch(report(1, 0), false);
    outbox.epoch(report(1, 1), false);
    outbox.epoch(report(2, 0), true);
    expect(sent).toEqual([report(1, 0), { type: 'epochs', reports: [report(1, 1), report(2, 0)] }]);
    outbox.epoch(report(2, 1), true);
    expect(sent.at(-1)).toEqual(report(2, 1));
  });

  it('sends nothing when nothing is held', () => {
    const { sent, outbox } = outboxAt({ ms: 0 });
    outbox.flush();
    expect(sent).toEqual([]);
  });
});
