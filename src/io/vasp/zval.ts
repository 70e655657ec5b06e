import { atomicNumber, SYMBOLS } from '../../model/elements.js';
import type { ByteSource } from '../source.js';
import { feeder, nextLine, runAsync, type Reads, type Stream } from '../stream.js';
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
export function readZval(source: ByteSource): Promise<PotcarValence[]> {
  return runAsync(zvalReader, source);
}

/** The same for an OUTCAR whose chunks the caller streams anyway (the registry's OUTCAR reader). */
export function zvalFeed(name: string): { feed(chunk: Uint8Array): void; end(): PotcarValence[] } {
  return feeder(zvalReader, name);
}

function* zvalReader(s: Stream): Reads<PotcarValence[]> {
  const out: PotcarValence[] = [];
  let titel: { text: string; line: number } | undefined;
  for (;;) {
    const lineNo = s.line;
    const text = yield* nextLine(s);
    if (text === undefined || /ions per type/.test(text)) return out;
    const t = /^\s*TITEL\s*=\s*(.*?)\s*$/.exec(text);
    if (t) {
      titel = { text: t[1], line: lineNo };
      continue;
    }
    const z = /ZVAL\s*=\s*([-+]?\d+(?:\.\d*)?)/.exec(text);
    if (z && titel && /POMASS/.test(text)) {
      const element = elementOf(titel.text);
      if (!element) throw s.error('a POTCAR title naming an element (`TITEL = PAW_PBE Mn_pv …`)', titel.text, titel.line);
      out.push({ titel: titel.text, element, zval: Number(z[1]) });
      titel = undefined;
    }
  }
}
