import type { NeighbourList } from '../../../src/kernels/types.js';
import type { CensusSite } from '../../../src/analysis/census.js';

/**
 * The text of the picked-atom panel: atom number (1-based as in POSCAR order, VESTA and LOBSTER labels, with the
 * 0-based index of the JSON), species, census class with nTM/nLi/vacancies for O, and the bonded neighbours (also
 * 1-based) with distances (Å).
 */
export function siteInfoText(site: number, species: string[], list: NeighbourList, census?: CensusSite, image?: number): string {
  const lines = [`atom ${site + 1} (${species[site]}${site + 1}; JSON index ${site})  ${species[site]}${image ? `  [supercell image ${image}]` : ''}`];
  if (census) {
    lines.push(`class ${census.class}  nTM ${census.nTM}  nLi ${census.nLi}${census.nOther ? `  other ${census.nOther}` : ''}  vacancies ${census.vacancies}`);
  }
  const pairs: number[] = [];
  for (let p = list.offsets[site]; p < list.offsets[site + 1]; p++) pairs.push(p);
  pairs.sort((a, b) => list.dist[a] - list.dist[b] || list.j[a] - list.j[b]);
  lines.push(`neighbours ${pairs.length} (atom numbers 1-based)`);
  for (const p of pairs) {
    const j = list.j[p];
    const img = [list.image[3 * p], list.image[3 * p + 1], list.image[3 * p + 2]];
    const shift = img.some((x) => x !== 0) ? `  [${img.join(' ')}]` : '';
    lines.push(`  ${species[j].padEnd(2)} ${String(j + 1).padStart(5)}  ${list.dist[p].toFixed(3)} Å${shift}`);
  }
  return lines.join('\n');
}
