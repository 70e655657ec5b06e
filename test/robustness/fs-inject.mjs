// Preloaded into the CLI by fs-errors.test.ts (node --import): makes the file system fail the way a full disk, a
// read-only mount, a permission problem or a failing disk does, which a test cannot cause for real (it may run as
// root). OXY_FAIL = "<operation>:<code>"; operations: open-write (opening a file for writing), write (the data of
// a write; such errors carry no path, like the real ones), open-read, read (a read stream fails mid-file), mkdir.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [op, code] = (process.env.OXY_FAIL ?? '').split(':');
// OXY_FAIL_PATH: only paths containing this text fail (default: every path)
const only = process.env.OXY_FAIL_PATH ?? '';
const sysError = (syscall, path) =>
  Object.assign(new Error(`${code}: injected failure, ${syscall}${path ? ` '${path}'` : ''}`), { code, errno: -5, syscall, ...(path ? { path } : {}) });

const open = fs.promises.open;
fs.promises.open = async function (path, flags, ...rest) {
  const writing = typeof flags === 'string' && /[wa+]/.test(flags);
  if (op === 'open-write' && writing) throw sysError('open', String(path));
  if (op === 'open-read' && !writing && String(path).includes(only)) throw sysError('open', String(path));
  const fh = await open.call(this, path, flags, ...rest);
  if (op === 'write' && writing) fh.writeFile = async () => { throw sysError('write'); };
  return fh;
};
const mkdir = fs.promises.mkdir;
fs.promises.mkdir = async function (path, ...rest) {
  if (op === 'mkdir') throw sysError('mkdir', String(path));
  return mkdir.call(this, path, ...rest);
};
const createReadStream = fs.createReadStream;
fs.createReadStream = function (path, ...rest) {
  const s = createReadStream.call(this, path, ...rest);
  if (op === 'read') s.once('data', () => s.destroy(sysError('read', String(path))));
  return s;
};
syncBuiltinESMExports();
