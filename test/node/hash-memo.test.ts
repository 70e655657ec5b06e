import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashMemo } from '../../src/node/hash-memo.js';

/** The stat-keyed memo of input hashes (report --cache): unchanged files are not read again, changed ones always are. */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const memoFile = join(dir, 'memo', 'root.index');
/** One run: load the memo, hash the files, save it. */
async function run(files: string[]) {
  const memo = HashMemo.load(memoFile);
  const hashes = [];
  for (const f of files) hashes.push(await memo.sha256(f));
  await memo.save();
  return { hashes, reused: memo.reused, hashed: memo.hashed };
}
/** past the racy window (2 s) after the files' last change */
const settle = () => new Promise((r) => setTimeout(r, 2200));

describe('HashMemo', () => {
  const [a, b] = [join(dir, 'a'), join(dir, 'b')];

  it('a file changed within the racy window is not remembered; once settled it is, and its hash is reused', async () => {
    writeFileSync(a, 'first version\n');
    writeFileSync(b, 'other file\n');
    expect(await run([a, b])).toEqual({ hashes: [sha256(a), sha256(b)], reused: 0, hashed: 2 });
    // both were written just now: racy, hashed again
    expect((await run([a, b])).hashed).toBe(2);
    await settle();
    expect((await run([a, b])).hashed).toBe(2);
    expect(await run([a, b])).toEqual({ hashes: [sha256(a), sha256(b)], reused: 2, hashed: 0 });
    // nothing changed: the memo is not written again; a run over fewer files keeps only those
    const written = readFileSync(memoFile, 'utf8');
    const mtime = statSync(memoFile).mtimeMs;
    await run([a, b]);
    expect(statSync(memoFile).mtimeMs).toBe(mtime);
    await run([a]);
    expect(Object.keys(JSON.parse(readFileSync(memoFile, 'utf8')))).toEqual([a]);
    expect(await run([a, b])).toEqual({ hashes: [sha256(a), sha256(b)], reused: 1, hashed: 1 });
    expect(JSON.parse(readFileSync(memoFile, 'utf8'))).toEqual(JSON.parse(written));
  }, 20_000);

  it('a same-size edit with its mtime set back is hashed again (the ctime moved); so is a file replaced by rename', async () => {
    // an mtime of whole seconds, which utimes can set back exactly; remembered once settled
    const t = Math.floor(Date.now() / 1000) - 60;
    utimesSync(a, t, t);
    await settle();
    await run([a, b]);
    expect((await run([a, b])).reused).toBe(2);
    const before = statSync(a);
    writeFileSync(a, 'first VERSION\n');
    utimesSync(a, t, t);
    expect(statSync(a).size).toBe(before.size);
    expect(statSync(a).mtimeMs).toBe(before.mtimeMs);
    const edited = await run([a, b]);
    expect(edited.hashes).toEqual([sha256(a), sha256(b)]);
    expect(edited.hashes[0]).not.toBe(createHash('sha256').update('first version\n').digest('hex'));
    expect([edited.reused, edited.hashed]).toEqual([1, 1]);

    const tmp = join(dir, 'a.new');
    writeFileSync(tmp, 'first versiON\n');
    utimesSync(tmp, t, t);
    renameSync(tmp, a);
    const replaced = await run([a]);
    expect(replaced.hashes).toEqual([sha256(a)]);
    expect(replaced.hashed).toBe(1);
  }, 20_000);

  it('a memo that does not read is empty: every file is hashed', async () => {
    writeFileSync(memoFile, '{"not": "a memo"');
    expect((await run([b])).hashed).toBe(1);
    writeFileSync(memoFile, JSON.stringify({ [b]: ['1', '2'] }));
    expect(await run([b])).toEqual({ hashes: [sha256(b)], reused: 0, hashed: 1 });
  });
});
