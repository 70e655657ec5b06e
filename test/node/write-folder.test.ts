import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFolderAtomic } from '../../src/node/write.js';
import { UsageError } from '../../src/errors.js';

/** writeFolderAtomic: the leftovers of a killed writer (a dead process id in their names) are cleaned up first. */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-write-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
const isOut = (n: string) => n.endsWith('.txt');
const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
const contents = (d: string) => Object.fromEntries(readdirSync(d).sort().map((n) => [n, readFileSync(join(d, n), 'utf8')]));

describe('writeFolderAtomic', () => {
  it('writes a new folder; refuses to replace it without force; with force replaces it whole', async () => {
    const target = join(dir, 'a', 'out');
    await writeFolderAtomic(target, files({ 'x.txt': 'one', 'y.txt': 'two' }), false, isOut);
    expect(contents(target)).toEqual({ 'x.txt': 'one', 'y.txt': 'two' });
    await expect(writeFolderAtomic(target, files({ 'x.txt': 'new' }), false, isOut)).rejects.toThrow(UsageError);
    await writeFolderAtomic(target, files({ 'x.txt': 'new' }), true, isOut);
    // y.txt of the old folder is gone: the folder is the new one, not old and new mixed
    expect(contents(target)).toEqual({ 'x.txt': 'new' });
    expect(readdirSync(join(dir, 'a'))).toEqual(['out']);
  });

  it('never replaces a folder holding files it does not write, even with force', async () => {
    const target = join(dir, 'mine');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.md'), 'mine');
    await expect(writeFolderAtomic(target, files({ 'x.txt': 'new' }), true, isOut)).rejects.toThrow(/holds "notes\.md"/);
    expect(contents(target)).toEqual({ 'notes.md': 'mine' });
  });

  it('a killed writer: its temp folder is removed, and an old folder it had moved aside is put back first', async () => {
    const parent = join(dir, 'killed');
    mkdirSync(parent);
    const pid = deadPid();
    // killed between the renames of a swap: no target, the old folder aside, the new one complete in its temp folder
    mkdirSync(join(parent, `.out.${pid}.1.old`));
    writeFileSync(join(parent, `.out.${pid}.1.old`, 'x.txt'), 'old');
    mkdirSync(join(parent, `.out.${pid}.1.tmp`));
    writeFileSync(join(parent, `.out.${pid}.1.tmp`, 'x.txt'), 'half');
    // without force the restored old folder is kept, and nothing else is left
    await expect(writeFolderAtomic(join(parent, 'out'), files({ 'x.txt': 'new' }), false, isOut)).rejects.toThrow(/exists; pass --force/);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(contents(join(parent, 'out'))).toEqual({ 'x.txt': 'old' });
    // a live writer's temp folder is left alone
    mkdirSync(join(parent, `.out.${process.ppid}.2.tmp`));
    await writeFolderAtomic(join(parent, 'out'), files({ 'x.txt': 'new' }), true, isOut);
    expect(readdirSync(parent).sort()).toEqual([`.out.${process.ppid}.2.tmp`, 'out']);
    expect(contents(join(parent, 'out'))).toEqual({ 'x.txt': 'new' });
  });
});
