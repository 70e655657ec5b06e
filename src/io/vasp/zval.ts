import { ParseError } from '../../errors.js';
import { atomicNumber, SYMBOLS } from '../../model/elements.js';
import type { ByteSource } from '../source.js';
import type { PotcarValence } from '../../model/populations.js';

export type { PotcarValence };

/** Element of a POTCAR title: `PAW_PBE Mn_pv 07Sep2000` → Mn, `PAW_PBE O_h` → O. */
function elementOf(titel: string): string | undefined {
  const name = titel.trim().split(/\s+/)[1] ?? '';
  const z = atomicNumber(name.split(/[_.]/)[0]);
  return z === undefined ? undefined : SYMBOLS[z];
}

/**
 * ZVAL of every POTCAR in order, from a POTCAR or from the head of an OUTCAR (which repeats each POTCAR's header):
 * each `TITEL =` line paired with the next `POMASS = …; ZVAL = …` line. An OUTCAR is read only up to
 * `ions per type`, which follows the POTCAR headers.
 */
export async function readZval(source: ByteSource): Promise<PotcarValence[]> {
  const z = zvalFeed(source.name);
  for await (const chunk of source.chunks()) {
    z.feed(chunk);
    if (z.done()) break;
  }
  return z.end();
}

/**
 * The same fed chunk by chunk, for a caller that streams the file anyway (the registry's OUTCAR reader); `done`
 * once the POTCAR headers are over (later chunks are ignored).
 */
export function zvalFeed(name: string): { feed(chunk: Uint8Array): void; done(): boolean; end(): PotcarValence[] } {
  const out: PotcarValence[] = [];
  const decoder = new TextDecoder();
  let carry = '';
  let lineNo = 0;
  let titel: { text: string; line: number } | undefined;
  let done = false;
  const line = (text: string) => {
    lineNo++;
    const t = /^\s*TITEL\s*=\s*(.*?)\s*$/.exec(text);
    if (t) {
      titel = { text: t[1], line: lineNo };
      return;
    }
    const z = /ZVAL\s*=\s*([-+]?\d+(?:\.\d*)?)/.exec(text);
    if (z && titel && /POMASS/.test(text)) {
      const element = elementOf(titel.text);
      if (!element) throw new ParseError({ file: name, line: titel.line, expected: 'a POTCAR title naming an element (`TITEL = PAW_PBE Mn_pv …`)', found: titel.text });
      out.push({ titel: titel.text, element, zval: Number(z[1]) });
      titel = undefined;
      return;
    }
    if (/ions per type/.test(text)) done = true;
  };
  return {
    feed: (chunk) => {
      if (done) return;
      const parts = (carry + decoder.decode(chunk, { stream: true })).split('\n');
      carry = parts.pop()!;
      for (const p of parts) {
        line(p);
        if (done) return;
      }
    },
    done: () => done,
    end: () => {
      if (!done && carry) line(carry);
      return out;
    },
  };
}
