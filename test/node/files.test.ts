import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/node/files.js';
import { readAll } from '../../src/io/source.js';

/** openSource reads a small file in one chunk of its own size (no 4 MiB buffer per tiny file), a big one in 4 MiB chunks. */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openSource', () => {
  it('every byte of files around the chunk sizes, plain and gzip; small files in one chunk', async () => {
    for (const n of [0, 1, (1 << 16) - 1, 1 << 16, (1 << 16) + 1, 300_000, (4 << 20) + 3]) {
      const bytes = Buffer.alloc(n);
      // no CR: sources make a lone CR a line end (normalised), which this byte-for-byte check is not about
      for (let i = 0; i < n; i++) bytes[i] = (i * 7919) & 0xff;
      for (let i = 0; i < n; i++) if (bytes[i] === 13) bytes[i] = 14;
      const plain = join(dir, `f${n}`);
      writeFileSync(plain, bytes);
      writeFileSync(`${plain}.gz`, gzipSync(bytes));
      for (const p of [plain, `${plain}.gz`]) expect(Buffer.from(await readAll(await openSource(p))).equals(bytes), p).toBe(true);
      const chunks: number[] = [];
      for await (const c of (await openSource(plain)).chunks()) chunks.push(c.length);
      if (n > 0 && n <= 300_000) expect(chunks, `${n} bytes`).toEqual([n]);
      if (n > 4 << 20) expect(chunks, `${n} bytes`).toEqual([4 << 20, 3]);
    }
  });
});
