import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded';

describe('startEmbeddedPostgres', () => {
  it('refuses a data folder whose PostgreSQL is still running, saying what to do', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'causeway-embedded-'));
    mkdirSync(path.join(dataDir, 'postgres'));
    // A live process id: this test's own.
    writeFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(new RegExp(`process ${process.pid}\\) is already running .*CAUSEWAY_DATA_DIR`));
  });
});
