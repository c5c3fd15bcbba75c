import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../tests/support/storeContract/index.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { curve, sampleParams, sampleStudy } from '../../tests/support/storeFixtures.js';

const pg = useTempPostgres();

describeStoreContract('postgres', () => pg.open());

describe('openPostgresStore', () => {
  it('keeps what was written across a reopen; migrating twice is harmless', async () => {
    const url = await pg.url();
    const { openPostgresStore } = await import('./postgresStore.js');
    const first = await openPostgresStore(url);
    const study = await first.createStudy(sampleStudy('durable'));
    const trial = await first.createTrial(study.id, sampleParams(), 1);
    await first.appendMetrics(curve(trial.id, 'val_loss', [0.5, Number.NaN]));
    await first.close();
    const second = await openPostgresStore(url);
    expect((await second.getStudy('durable')).id).toBe(study.id);
    expect(await second.getMetrics([trial.id])).toEqual(curve(trial.id, 'val_loss', [0.5, Number.NaN]));
    await second.close();
  });

  it('moves the change mark on every committed write, seen from another connection', async () => {
    const url = await pg.url();
    const { openPostgresStore } = await import('./postgresStore.js');
    const [writer, reader] = [await openPostgresStore(url), await openPostgresStore(url)];
    const before = await reader.changeMark();
    await writer.createStudy(sampleStudy('m'));
    const after = await reader.changeMark();
    expect(after).not.toBe(before);
    expect(await reader.changeMark()).toBe(after);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('an unreachable server rejects with STORE_IO naming it, without the password', async () => {
    const { openPostgresStore } = await import('./postgresStore.js');
    const { freePort } = await import('../../tests/support/postgres.js');
    const url = `postgres://u:secret@127.0.0.1:${await freePort()}/none`;
    const error = await openPostgresStore(url, { retryForMs: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_IO', message: expect.stringContaining('127.0.0.1') });
    expect(String((error as Error).message)).not.toContain('secret');
  });
});
