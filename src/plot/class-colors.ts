/**
 * Census classes O(6 − nTM) with their colours (0xRRGGBB), the reference study's (O4 purple, O5 yellow): the viewer
 * colours O atoms with them and the plots draw each class's line in the same colour, so a class looks the same
 * everywhere.
 */
export const CLASS_COLORS: Readonly<Record<string, number>> = {
  O0: 0x862e9c,
  O1: 0xc2255c,
  O2: 0xf76707,
  O3: 0xe03131,
  O4: 0x9c36b5,
  O5: 0xfcc419,
  O6: 0x495057,
};

/** `#rrggbb` of a class; undefined for a name that is not a census class. */
export function classCss(name: string): string | undefined {
  const c = CLASS_COLORS[name];
  return c === undefined ? undefined : `#${c.toString(16).padStart(6, '0')}`;
}
