import { describe, expect, it } from 'vitest';
import { parseEnergyTable } from '../../src/io/energy-table.js';
import { ParseError } from '../../src/errors.js';

// tables written here from the format oxyscope documents (README, "Formats read")
describe('energy table (voltage --energies)', () => {
  it('header in any order and case, extra columns, comments, blank lines, CRLF', () => {
    const t = '# made up\r\n\r\nEnergy_eV,note,Path\r\n-936.5,pristine,x48/\r\n# skipped\r\n-1e2,,x0\r\n';
    expect(parseEnergyTable(t, 'e.csv')).toEqual([
      { path: 'x48/', energy: -936.5, line: 4 },
      { path: 'x0', energy: -100, line: 6 },
    ]);
  });

  it('errors name the file and line', () => {
    const cases: [string, RegExp][] = [
      ['', /^e\.csv: expected a header line "path,energy_eV", found "an empty table"$/],
      ['file,E\nx,1\n', /^e\.csv:1: expected a header with the columns path and energy_eV/],
      ['path,energy_eV\nx,1,2\n', /^e\.csv:2: expected 2 comma-separated fields/],
      ['path,energy_eV\nx,nan\n', /^e\.csv:2: expected an energy in eV/],
      ['path,energy_eV\n,1\n', /^e\.csv:2: expected a path/],
      ['path,energy_eV\na,1\na,2\n', /^e\.csv:3: expected each path once \(a is on line 2 already\)/],
      ['path,energy_eV\n', /^e\.csv: expected at least one row after the header/],
    ];
    for (const [text, re] of cases) {
      expect(() => parseEnergyTable(text, 'e.csv')).toThrow(ParseError);
      expect(() => parseEnergyTable(text, 'e.csv')).toThrow(re);
    }
  });
});
