import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '../../src/errors.js';
import { MAX_WHOLE_BYTES, readAll, type ByteSource } from '../../src/io/source.js';
import { ROOT, run } from '../cli/run.js';

// Issue 19.12: inputs read whole (POSCAR, CHARGE, OSZICAR, lobsterout, stdin …) were read up to 2 GiB before being
// refused. One limit, MAX_WHOLE_BYTES, is checked from the size (a file's stat) before any byte is read, and from the
// chunks where no size is known (gzip, stdin).

const LIMIT = '256.0 MiB';

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ParseError);
  return (e as Error).message;
}

describe('the whole-file limit', () => {
  it('is 256 MiB', () => {
    expect(MAX_WHOLE_BYTES).toBe(256 * 2 ** 20);
  });

  it('a source whose size is past it is refused before a chunk is read', async () => {
    let asked = false;
    const src: ByteSource = {
      name: 'POSCAR',
      size: 300 << 20,
      chunks: () => {
        asked = true;
        throw new Error('read');
      },
    };
    expect(await refusal(readAll(src))).toBe(`POSCAR: expected at most ${LIMIT} (this input is read whole into memory), found "300.0 MiB (314572800 bytes)"`);
    expect(asked).toBe(false);
  });

  it('a source without a size stops at the first chunk past it', async () => {
    const chunk = new Uint8Array(64 << 20);
    let read = 0;
    const src: ByteSource = {
      name: '<stdin>',
      async *chunks() {
        for (;;) {
          read++;
          yield chunk;
        }
      },
    };
    expect(await refusal(readAll(src))).toBe(`<stdin>: expected at most ${LIMIT} (this input is read whole into memory), found "more than that (${5 * (64 << 20)} bytes read so far)"`);
    expect(read).toBe(5);
  });

  it('CLI: a 300 MiB (sparse) POSCAR is one line on stderr and exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-whole-'));
    const p = join(dir, 'POSCAR');
    writeFileSync(p, 'Li\n1.0\n3 0 0\n0 3 0\n0 0 3\nLi\n1\nDirect\n0 0 0\n');
    truncateSync(p, 300 << 20);
    const r = await run(['info', p]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`oxyscope: ${p}: expected at most ${LIMIT} (this input is read whole into memory), found "300.0 MiB (314572800 bytes)"`]);
  });

  it('CLI: stdin past the limit is refused once the chunks pass it', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/oxyscope.js'), 'info', '-', '--format', 'poscar'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const block = Buffer.alloc(1 << 20, 0x20);
    child.stdin.on('error', () => {});
    let written = 0;
    const pump = () => {
      while (written < 300 && child.stdin.write(block)) written++;
      if (written < 300) child.stdin.once('drain', pump);
      else child.stdin.end();
    };
    pump();
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^oxyscope: <stdin>: expected at most 256\.0 MiB \(this input is read whole into memory\), found "more than that \(\d+ bytes read so far\)"$/);
  });
});
