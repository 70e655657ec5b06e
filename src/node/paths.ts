import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The oxyscope package folder (holding build/, viewer/dist/, bench/): the nearest folder above this module with
 * oxyscope's package.json. Found by walking up, so it is the same from src/ (tsx), dist/ (tsc) and the bundled CLI.
 */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'oxyscope') return (root = dir);
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) throw new Error(`oxyscope's package.json not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The release WASM kernels (`npm run asbuild`). */
export function wasmPath(): string {
  return join(packageRoot(), 'build', 'kernels.wasm');
}
