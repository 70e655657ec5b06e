import { describe, expect, it } from 'vitest';
import { group, type CalcFile } from '../../src/pipeline/group.js';

const files = (...names: [string, string][]): CalcFile[] => names.map(([path, format]) => ({ path, format }));
const id = (p: string) => p;

describe('grouping a folder into calculations', () => {
  it('a POSCAR.pristine beside the folder POSCAR is that calculation’s own reference, not a calculation of its own', () => {
    const calcs = group(id, 'sqs/03', files(['sqs/03/POSCAR', 'poscar'], ['sqs/03/POSCAR.pristine', 'poscar']));
    expect(calcs).toHaveLength(1);
    expect(calcs[0].structure?.path).toBe('sqs/03/POSCAR');
    expect(calcs[0].reference?.path).toBe('sqs/03/POSCAR.pristine');
    // an input of the calculation (its hash keys the cache)
    expect(calcs[0].files.map((f) => f.path)).toContain('sqs/03/POSCAR.pristine');
  });

  it('without a structure of its own beside it, a POSCAR.pristine is the folder’s structure as any renamed POSCAR', () => {
    const calcs = group(id, 'p', files(['p/POSCAR.pristine', 'poscar']));
    expect(calcs.map((c) => [c.structure?.path, c.reference])).toEqual([['p/POSCAR.pristine', undefined]]);
  });

  it('other renamed structures stay calculations of their own', () => {
    const calcs = group(id, 'm', files(['m/POSCAR', 'poscar'], ['m/POSCAR.Fe3O4', 'poscar']));
    expect(calcs.map((c) => [c.id, c.reference?.path])).toEqual([['m', undefined], ['m/POSCAR.Fe3O4', undefined]]);
  });
});
