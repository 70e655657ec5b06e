import { describe, expect, it } from 'vitest';
import { voltageProfile, type VoltageInput } from '../../src/analysis/voltage.js';
import { voltageMarkdown } from '../../src/cli/report/voltage.js';

/** report.md's voltage section embeds folder names through warnings and notes: they are literal text, never Markdown or HTML. */

const cell = (id: string, li: number, energy: number): VoltageInput => ({
  id, file: `${id}/POSCAR`, composition: { Li: li, Mn: 2, O: 4 }, energy, energySource: 'OUTCAR energy(sigma->0)',
});

describe('voltage markdown', () => {
  it('escapes `|` and `<` (and the other Markdown punctuation) in warnings and notes, and fences the table so a name cannot close it', () => {
    // the same Li content and energy twice: the "same calculation twice?" warning names both folders
    const profile = voltageProfile([cell('a|b<img src=x>', 0, -40), cell('c<script>|d', 0, -40), cell('full', 2, -50)]);
    expect(profile.warnings.some((w) => w.includes('a|b<img src=x>'))).toBe(true);
    const md = voltageMarkdown({ energy: 'energy(sigma->0)', series: [profile], notes: ['x|y<b>*bold*, ```: one host at 2 Li contents'] }).join('\n');
    const bullets = md.split('\n').filter((l) => l.startsWith('- '));
    expect(bullets.length).toBeGreaterThanOrEqual(2);
    for (const l of bullets) {
      expect(l).not.toMatch(/<|(^|[^\\])\|/);
    }
    expect(md).toContain('a\\|b&lt;img src=x>');
    expect(md).toContain('- x\\|y&lt;b>\\*bold\\*, \\`\\`\\`: one host at 2 Li contents');
    // the text table is a code block: its fence is the first and a later line, and nothing inside closes it early
    const lines = md.split('\n');
    const open = lines.findIndex((l) => /^`{3,}$/.test(l));
    const close = lines.findIndex((l, i) => i > open && l === lines[open]);
    expect(open).toBeGreaterThan(0);
    expect(close).toBeGreaterThan(open + 1);
  });
});
