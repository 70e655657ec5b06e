import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Fixture bytes (gzip undone, as openSource does), by path under test/fixtures/. */
export function fixture(rel: string): Uint8Array {
  const b = readFileSync(fixturePath(rel));
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
}

export function fixtureText(rel: string): string {
  return new TextDecoder().decode(fixture(rel));
}
