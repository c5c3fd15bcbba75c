import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqliteStore.js';
import { HistoryCache } from './historyRead.js';
import { completed, finishedTrial, sampleStudy } from '../../tests/support/storeFixtures.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';

const temp = useTempDatabases();

describe('HistoryCache', () => {
  it('answers a finished study from memory until another process writes, and never caches a running one', async () => {
    const path = temp.file();
    const host = await openSqliteStore(path);
    const sweep = await openSqliteStore(path); // another connection: a CLI sweep beside the dashboard
    try {
      const { id } = await host.createStudy(sampleStudy('cached'));
      for (let number = 0; number < 20; number++) await finishedTrial(host, id, completed(1 / (number + 1)));
      await host.setStudyStatus(id, 'done');
      const cache = new HistoryCache(host);
      const columns = 2; // 20 trials > 4 per column: thinned

      const first = await cache.read(await host.getStudy(id), 'best', columns, false);
      expect(first.at(-1)?.best).toBe(1 / 20);
      expect(await cache.read(await host.getStudy(id), 'best', columns, false)).toBe(first);
      expect(await cache.read(await host.getStudy(id), 'last', columns, false)).not.toBe(first); // its own entry

      await finishedTrial(sweep, id, completed(0.001));
      const after = await cache.read(await host.getStudy(id), 'best', columns, false);
      expect(after).not.toBe(first);
      expect(after.at(-1)).toMatchObject({ number: 20, best: 0.001 });

      // Running (here or anywhere): read every time, since trials land without a change mark.
      expect(await cache.read(await host.getStudy(id), 'best', columns, true)).not.toBe(after);
      await host.setStudyStatus(id, 'running');
      const running = await host.getStudy(id);
      expect(await cache.read(running, 'best', columns, false)).not.toBe(await cache.read(running, 'best', columns, false));
    } finally {
      await sweep.close();
      await host.close();
    }
  });
});
