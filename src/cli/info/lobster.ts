import type { SummarizerTable, Summarizer } from './types.js';
import type { Cohp, IcohpList } from '../../model/cohp.js';
import { bondTotals } from '../../model/cohp.js';
import { readCohpcar } from '../../io/lobster/cohpcar.js';
import { readIcohplist } from '../../io/lobster/icohplist.js';
import { readDoscarLobster } from '../../io/lobster/doscar-lobster.js';
import { readCharge } from '../../io/lobster/charge.js';
import { readLobsterout } from '../../io/lobster/lobsterout.js';

/** COHPCAR-family summary: nBonds counts bond totals only (no Average column, no orbital-resolved entries). */
function cohpSummary(format: string): Summarizer {
  return async (source, kernels) => {
    const c: Cohp = await readCohpcar(source, { kernels });
    return {
      format,
      kind: c.kind,
      nBonds: bondTotals(c.bonds).length,
      ispin: c.nspin,
      efermi: c.efermi,
      nPoints: c.nPoints,
      orbitalResolved: c.bonds.some((b) => b.orbitals !== undefined),
      multiCentre: c.multiCentre,
      energyRange: [c.energies[0], c.energies[c.nPoints - 1]],
      energyZero: 'fermi',
    };
  };
}

/** ICOHPLIST-family summary: nBonds counts each listed bond once, whatever the spin layout or orbital lines. */
function icohpSummary(format: string): Summarizer {
  return async (source) => {
    const l: IcohpList = await readIcohplist(source);
    const pairs: Record<string, number> = {};
    for (const b of l.bonds) {
      // Cl-Na and Na-Cl are one pair: the first spelling met names it
      const key = b.atoms.map((a) => a.element).join('-');
      const back = [...b.atoms].reverse().map((a) => a.element).join('-');
      const k = key in pairs || !(back in pairs) ? key : back;
      pairs[k] = (pairs[k] ?? 0) + 1;
    }
    return {
      format,
      kind: l.kind,
      nBonds: l.bonds.length,
      ispin: l.nspin,
      layout: l.layout,
      orbitalResolved: l.orbitalResolved,
      multiCentre: l.bonds.filter((b) => b.multiCentre).length,
      pairs,
    };
  };
}

export const summarizers: SummarizerTable = {
  cohpcar: cohpSummary('cohpcar'),
  coopcar: cohpSummary('coopcar'),
  cobicar: cohpSummary('cobicar'),
  icohplist: icohpSummary('icohplist'),
  icooplist: icohpSummary('icooplist'),
  icobilist: icohpSummary('icobilist'),
  'doscar-lobster': async (source, kernels) => {
    const d = await readDoscarLobster(source, { kernels });
    return {
      format: 'doscar-lobster',
      nedos: d.nedos,
      ispin: d.nspin,
      nSites: d.nSites,
      species: d.species,
      orbitals: d.orbitals,
      efermi: d.efermi,
      energyRange: [d.energies[0], d.energies[d.nedos - 1]],
      energyZero: 'fermi',
    };
  },
  'charge-lobster': async (source) => {
    const c = await readCharge(source);
    return { format: 'charge-lobster', labels: c.labels, mulliken: Array.from(c.mulliken), loewdin: Array.from(c.loewdin) };
  },
  lobsterout: async (source) => {
    const o = await readLobsterout(source);
    return {
      format: 'lobsterout',
      version: o.version,
      chargeSpilling: o.chargeSpilling,
      totalSpilling: o.totalSpilling,
      basis: Object.fromEntries(o.basis.map((b) => [b.element, b.functions])),
      bandOverlapsWarning: o.bandOverlapsWarning,
      warnings: o.warnings,
      wallTimeSeconds: o.wallTimeSeconds,
    };
  },
};
