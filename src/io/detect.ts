/**
 * Which reader a file needs, from its name and its first bytes (content wins where the name is silent or
 * misleading: users rename files). Folders are detected by the caller (NEB folders in src/node).
 */
export type FormatId =
  | 'poscar'
  | 'xdatcar'
  | 'doscar'
  | 'vasprun'
  | 'outcar'
  | 'oszicar'
  | 'cohpcar'
  | 'coopcar'
  | 'cobicar'
  | 'icohplist'
  | 'icooplist'
  | 'icobilist'
  | 'doscar-lobster'
  | 'charge-lobster'
  | 'lobsterout'
  | 'grosspop-lobster'
  | 'sitepotentials-lobster'
  | 'madelung-lobster'
  | 'bader-acf';

export const FORMAT_NAMES: Record<FormatId, string> = {
  poscar: 'VASP POSCAR/CONTCAR',
  xdatcar: 'VASP XDATCAR',
  doscar: 'VASP DOSCAR',
  vasprun: 'VASP vasprun.xml',
  outcar: 'VASP OUTCAR',
  oszicar: 'VASP OSZICAR',
  cohpcar: 'LOBSTER COHPCAR',
  coopcar: 'LOBSTER COOPCAR',
  cobicar: 'LOBSTER COBICAR',
  icohplist: 'LOBSTER ICOHPLIST',
  icooplist: 'LOBSTER ICOOPLIST',
  icobilist: 'LOBSTER ICOBILIST',
  'doscar-lobster': 'LOBSTER DOSCAR.lobster',
  'charge-lobster': 'LOBSTER CHARGE.lobster',
  lobsterout: 'LOBSTER lobsterout',
  'grosspop-lobster': 'LOBSTER GROSSPOP.lobster',
  'sitepotentials-lobster': 'LOBSTER SitePotentials.lobster',
  'madelung-lobster': 'LOBSTER MadelungEnergies.lobster',
  'bader-acf': 'Bader ACF.dat',
};

/** Base name without folders and without a trailing .gz/.bz2 (compression is undone before reading). */
export function baseName(path: string): string {
  const b = path.replace(/\\/g, '/').split('/').pop() ?? path;
  return b.replace(/\.(gz|gzip)$/i, '');
}

function byName(name: string): FormatId | undefined {
  const b = baseName(name).toUpperCase();
  const rules: [RegExp, FormatId][] = [
    [/^ICOHPLIST/, 'icohplist'],
    [/^ICOOPLIST/, 'icooplist'],
    [/^ICOBILIST/, 'icobilist'],
    [/^COHPCAR/, 'cohpcar'],
    [/^COOPCAR/, 'coopcar'],
    [/^COBICAR/, 'cobicar'],
    [/^DOSCAR.*LOBSTER|^DOSCAR\.LSO/, 'doscar-lobster'],
    [/^CHARGE.*LOBSTER/, 'charge-lobster'],
    [/^LOBSTEROUT/, 'lobsterout'],
    [/^GROSSPOP.*LOBSTER/, 'grosspop-lobster'],
    [/^SITEPOTENTIALS.*LOBSTER/, 'sitepotentials-lobster'],
    [/^MADELUNGENERGIES.*LOBSTER/, 'madelung-lobster'],
    [/^ACF\.DAT$/, 'bader-acf'],
    [/VASPRUN|\.XML$/, 'vasprun'],
    [/^XDATCAR/, 'xdatcar'],
    [/^DOSCAR/, 'doscar'],
    [/^OUTCAR/, 'outcar'],
    [/^OSZICAR/, 'oszicar'],
    [/^(POSCAR|CONTCAR)|\.VASP$/, 'poscar'],
  ];
  for (const [re, id] of rules) if (re.test(b)) return id;
  return undefined;
}

/** Detection from content; `head` is the file's first few kilobytes as text. */
function byContent(head: string): FormatId | undefined {
  const lines = head.split(/\r?\n/);
  const l1 = lines[0] ?? '';
  if (/^\s*<\?xml|<modeling>/.test(head.slice(0, 400))) return 'vasprun';
  if (/vasp\.\d|POSCAR =|INCAR:/.test(head.slice(0, 2000)) && /running on|vasp\./.test(head)) return 'outcar';
  if (/^\s*(COHP|COOP|COBI)#\s+atomMU/.test(l1) || /^\s*(COHP|COOP|COBI)#/.test(l1)) {
    if (/COOP#/.test(l1)) return 'icooplist';
    if (/COBI#/.test(l1)) return 'icobilist';
    return 'icohplist';
  }
  if (/^\s*LOBSTER\s+v?\d/.test(l1)) return 'lobsterout';
  if (/^\s*#\s+Atom\s+Label\s+Mulliken/i.test(l1)) return 'charge-lobster';
  if (/gross orbital population/i.test(l1)) return 'grosspop-lobster';
  if (/^\s*Site Potentials/i.test(l1)) return 'sitepotentials-lobster';
  if (/^\s*Madelung energ/i.test(l1)) return 'madelung-lobster';
  if (/^\s*#\s+X\s+Y\s+Z\s+CHARGE/i.test(l1)) return 'bader-acf';
  if (/^\s*(COHPCAR|COOPCAR|COBICAR)\b/.test(l1)) {
    return l1.includes('COOP') ? 'coopcar' : l1.includes('COBI') ? 'cobicar' : 'cohpcar';
  }
  if (/^\s*N\s+F=|^\s*(DAV|RMM|CG):/m.test(head.slice(0, 400))) return 'oszicar';
  if (/^\s*\d+\s+\d+\s+[01]\s+\d+\s*$/.test(l1) && lines.length > 5 && /CAR/.test(lines[3] ?? '')) {
    return /projected DOS file by LOBSTER/i.test(lines[4] ?? '') ? 'doscar-lobster' : 'doscar';
  }
  if (/Direct configuration=/.test(head)) return 'xdatcar';
  // a POSCAR: line 2 is one or three numbers, lines 3-5 three numbers each
  const num = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eEdD][-+]?\d+)?\s*$/;
  const three = /^\s*(\S+\s+){2}\S+\s*$/;
  if (lines.length > 6 && (num.test(lines[1] ?? '') || three.test(lines[1] ?? '')) && three.test(lines[2] ?? '')) return 'poscar';
  return undefined;
}

/**
 * The format of a file. The name decides when it is a known VASP/LOBSTER name; content decides otherwise.
 * For `DOSCAR` the content also decides between VASP and LOBSTER, since users rename DOSCAR.lobster.
 */
export function detectFormat(name: string, head: string): FormatId | undefined {
  const n = byName(name);
  const c = byContent(head);
  if (n === 'doscar' && c === 'doscar-lobster') return c;
  if (n === 'poscar' && c === 'xdatcar') return c;
  return n ?? c;
}
