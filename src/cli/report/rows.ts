import type { CalcReport } from '../../pipeline/calculation.js';

/**
 * One flat row per calculation: the headline numbers of every analysis, for the stdout summary, `merge` tables and
 * CSV. Column names carry their unit and basis (per O, per bond, summed). Absent analyses give no column; a table
 * over several rows takes the union of columns in `columnOrder`.
 */
export type Row = Record<string, string | number | boolean | null>;

/** Full precision (tables round when they print; `merge --csv` and report.json keep every digit); JSON has no NaN. */
const num = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

export function summaryRow(c: CalcReport): Row {
  const row: Row = { calculation: c.id, kind: c.kind };
  if (c.structure) {
    row.formula = c.structure.formula;
    row.model = c.structure.model;
  }
  if (c.census) {
    row.nO = c.census.nO;
    for (const [cls, f] of Object.entries(c.census.fractions)) row[`${cls} fraction`] = num(f);
  }
  if (c.migration) {
    const m = c.migration.migrated;
    row['TM migrated in-plane'] = m.reference ? m.inPlane.length : null;
    row['TM migrated out-of-plane'] = m.reference ? m.outOfPlane.length : null;
    row['TM in Li layer'] = c.migration.tmInLiLayer.length;
  }
  if (c.pdos) {
    for (const g of c.pdos.groups) row[`PDOS ${g.name} states in window per atom`] = num(g.perAtom);
    for (const q of c.pdos.ratios) row[`PDOS ratio ${q.name}`] = num(q.value);
  }
  if (c.cohp) {
    for (const g of c.cohp.groups) if (g.by === 'class') row[`${c.cohp.quantity} ${g.name} mean per bond (eV)`] = num(g.meanMinusIcohp);
    if (!c.cohp.groups.some((g) => g.by === 'class')) {
      for (const g of c.cohp.groups) row[`${c.cohp.quantity} ${g.name} mean per bond (eV)`] = num(g.meanMinusIcohp);
    }
  }
  if (c.neb) {
    row['NEB forward barrier, highest image (eV)'] = num(c.neb.barrier.forward);
    row['NEB backward barrier, highest image (eV)'] = num(c.neb.barrier.backward);
    row['NEB forward barrier, spline (eV)'] = num(c.neb.barrier.spline);
    row['NEB barrier basis'] = c.neb.barrier.basis;
  }
  row.errors = c.errors.length;
  return row;
}

/** Union of the rows' columns: identity first, then analyses in the order rows first use them, errors last. */
export function columnOrder(rows: Row[]): string[] {
  const seen = new Set<string>(['calculation', 'kind', 'formula', 'model']);
  const cols = ['calculation', 'kind', 'formula', 'model'];
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k) && k !== 'errors') {
        seen.add(k);
        cols.push(k);
      }
    }
  }
  cols.push('errors');
  return cols;
}
