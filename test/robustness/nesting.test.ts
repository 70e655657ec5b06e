import { describe, expect, it } from 'vitest';
import { parseVasprun, MAX_DEPTH } from '../../src/io/vasp/vasprun.js';
import { ParseError } from '../../src/errors.js';

// Issue 19.9: deeply nested vasprun.xml took quadratic time (40 000 tags on one line: 13 s; 10^6: a hang). The depth
// is bounded (a clean ParseError at the line of the tag too deep) and the walk is linear; the vitest timeout is the
// hang guard (no timed assertion).

const PROLOG = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<modeling>\n';

function errorOf(text: string): ParseError {
  try {
    parseVasprun(text, 'vasprun.xml');
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('no error');
}

describe('vasprun.xml nesting', () => {
  it(`nesting deeper than ${MAX_DEPTH} is a ParseError naming the line of the first tag too deep`, () => {
    const text = `${PROLOG}${'<a>\n'.repeat(MAX_DEPTH + 10)}${'</a>\n'.repeat(MAX_DEPTH + 10)}</modeling>\n`;
    // <modeling> is depth 1 on line 2, so the tag at depth MAX_DEPTH + 1 is on line MAX_DEPTH + 2
    expect(errorOf(text).message).toBe(`vasprun.xml:${MAX_DEPTH + 2}: expected elements nested at most ${MAX_DEPTH} deep (a vasprun.xml nests about 8), found "<a> at depth ${MAX_DEPTH + 1}"`);
  });

  it(`${MAX_DEPTH} levels are still read (the error is then about the content)`, () => {
    const n = MAX_DEPTH - 1;
    const text = `${PROLOG}${'<a>'.repeat(n)}${'</a>'.repeat(n)}</modeling>\n`;
    expect(errorOf(text).message).toMatch(/expected <structure name="initialpos">/);
  });

  it.each([40_000, 1_000_000])('%i nested tags on one line end in the depth error', (n) => {
    const text = `${PROLOG.trimEnd()}${'<a>'.repeat(n)}${'</a>'.repeat(n)}</modeling>\n`;
    expect(errorOf(text).message).toMatch(/^vasprun.xml:2: expected elements nested at most/);
  });

  it('10^6 sibling tags on one line are walked in one pass (line counting searched to the next newline each tag)', () => {
    const text = `${PROLOG.trimEnd()}${'<a></a>'.repeat(1_000_000)}</modeling>\n`;
    expect(errorOf(text).message).toMatch(/^vasprun.xml:2: expected <structure name="initialpos">/);
  });
});
