import {
  BufferGeometry,
  Color,
  ConeGeometry,
  Float32BufferAttribute,
  Group,
  CylinderGeometry,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  Line,
  MeshLambertMaterial,
  type Object3D,
} from 'three';
import { sphereCentres, repeatCount, type AtomGroup, type Repeat } from '../describe/atoms.js';
import { cylinderMatrices, halvesOf, repeatSegments } from '../describe/bonds.js';
import { sphereMesh } from './impostor.js';
import { bakedMesh } from './baked.js';
import { arrowMatrices, type Arrow } from '../describe/arrows.js';
import { cellEdges } from '../describe/cell.js';
import { ARROW_COLORS, BOND_COLOR, CLUSTER_COLOR, CONTACT_COLOR, PATH_COLOR } from '../describe/style.js';

/** Colours of a group's instances (supercell images repeat the unit cell's) from per-site colours. */
function instanceColors(g: AtomGroup, siteColors: Float32Array, images: number): Float32Array {
  const n = g.sites.length;
  const out = new Float32Array(3 * n * images);
  for (let m = 0; m < images; m++) for (let k = 0; k < n; k++) out.set(siteColors.subarray(3 * g.sites[k], 3 * g.sites[k] + 3), 3 * (m * n + k));
  return out;
}

/** What one drawing of a frame needs; every array is already in Å and Cartesian. */
export interface FrameDrawing {
  groups: AtomGroup[];
  cart: Float64Array;
  lattice: Float64Array;
  rep: Repeat;
  /** half-bond segments of the unit cell (6 floats each) and the site each starts from (its group, its colour) */
  bonds: { segments: Float32Array; owner: Int32Array };
  /** sites drawn with a highlight halo (O5 clusters) */
  halo: Int32Array;
  /** migrating atoms' paths, one polyline each (3 floats per image), with the atom's colour and radius for the
   * translucent ghosts drawn at both ends */
  paths: { points: Float32Array; color: number; radius: number }[];
  arrows: { inPlane: Arrow[]; outOfPlane: Arrow[] };
  /** how far (Å) arrows stop short of the moved atom's centre */
  arrowGap: number;
  /** per-site colours (RGB 0..1, 3 floats per unit-cell site) replacing the group colours: colouring by a quantity */
  siteColors?: Float32Array;
  /** O–O short contacts (6 floats each, Å), drawn as sticks */
  contacts?: Float32Array;
}

/** The spheres of one group as drawn: centres (3 floats each, supercell images included) and their radius. */
export interface DrawnAtoms {
  centres: Float32Array;
  radius: number;
  mesh: Mesh;
}

/** Above this many half-bonds (supercell images included) bonds are drawn as lines: cylinders would dominate the frame time. */
const CYLINDER_LIMIT = 25_000;

/**
 * The three.js objects of one frame. `atoms` maps group key → sphere mesh (picking, counts); `parts` maps group
 * key → everything drawn for that group (its spheres and the half-bonds starting from it), which the class
 * toggles switch on and off together.
 */
export function buildFrame(d: FrameDrawing): { group: Group; atoms: Map<string, DrawnAtoms>; parts: Map<string, Object3D[]> } {
  const group = new Group();
  const atoms = new Map<string, DrawnAtoms>();
  const parts = new Map<string, Object3D[]>();
  const images = repeatCount(d.rep);
  const asLines = d.bonds.owner.length * images > CYLINDER_LIMIT;
  for (const g of d.groups) {
    const centres = sphereCentres(g, d.cart, d.lattice, d.rep);
    const colors = d.siteColors ? instanceColors(g, d.siteColors, images) : undefined;
    const mesh = Object.assign(sphereMesh(centres, g.radius, g.color, 1, colors), { name: `atoms:${g.key}` });
    atoms.set(g.key, { centres, radius: g.radius, mesh });
    const own: Object3D[] = [mesh];
    const halves = d.bonds.owner.length > 0 ? halvesOf(d.bonds, g.sites) : new Float32Array(0);
    if (halves.length > 0) {
      const bondColor = new Color(g.color).lerp(new Color(BOND_COLOR), 0.35);
      if (asLines) {
        const geo = new BufferGeometry();
        geo.setAttribute('position', new Float32BufferAttribute(repeatSegments(halves, d.lattice, d.rep), 3));
        own.push(Object.assign(new LineSegments(geo, new LineBasicMaterial({ color: bondColor })), { name: `bonds:${g.key}` }));
      } else {
        own.push(Object.assign(bakedMesh(new CylinderGeometry(1, 1, 1, 8, 1, true), cylinderMatrices(halves, 0.11, d.lattice, d.rep), new MeshLambertMaterial({ color: bondColor })), { name: `bonds:${g.key}` }));
      }
    }
    parts.set(g.key, own);
    group.add(...own);
  }
  if (d.halo.length > 0) {
    const haloGroup: AtomGroup = { key: 'halo', symbol: 'O', role: 'oxygen', color: CLUSTER_COLOR, radius: 0.85, sites: d.halo };
    group.add(Object.assign(sphereMesh(sphereCentres(haloGroup, d.cart, d.lattice, d.rep), haloGroup.radius, CLUSTER_COLOR, 0.4), { name: 'clusters' }));
  }
  if (d.contacts && d.contacts.length > 0) {
    group.add(Object.assign(bakedMesh(new CylinderGeometry(1, 1, 1, 10, 1, true), cylinderMatrices(d.contacts, 0.16, d.lattice, d.rep), new MeshLambertMaterial({ color: CONTACT_COLOR })), { name: 'contacts' }));
  }
  const cell = new BufferGeometry();
  cell.setAttribute('position', new Float32BufferAttribute(cellEdges(d.lattice), 3));
  group.add(Object.assign(new LineSegments(cell, new LineBasicMaterial({ color: 0x343a40 })), { name: 'cell' }));
  if (repeatCount(d.rep) > 1) {
    const sup = new BufferGeometry();
    sup.setAttribute('position', new Float32BufferAttribute(cellEdges(d.lattice, d.rep), 3));
    group.add(Object.assign(new LineSegments(sup, new LineBasicMaterial({ color: 0xadb5bd })), { name: 'supercell' }));
  }
  for (const p of d.paths) {
    const g = new BufferGeometry();
    g.setAttribute('position', new Float32BufferAttribute(p.points, 3));
    group.add(Object.assign(new Line(g, new LineBasicMaterial({ color: PATH_COLOR })), { name: 'path' }));
    const n = p.points.length;
    const ends = Float32Array.from([...p.points.subarray(0, 3), ...p.points.subarray(n - 3, n)]);
    group.add(Object.assign(sphereMesh(ends, p.radius * 0.95, p.color, 0.3), { name: 'ghosts' }));
  }
  for (const kind of ['inPlane', 'outOfPlane'] as const) {
    const list = d.arrows[kind];
    if (list.length === 0) continue;
    const { shafts, heads } = arrowMatrices(list, d.lattice, d.rep, 0.12, d.arrowGap);
    const mat = new MeshLambertMaterial({ color: ARROW_COLORS[kind] });
    group.add(Object.assign(bakedMesh(new CylinderGeometry(1, 1, 1, 8), shafts, mat), { name: `arrows:${kind}` }));
    group.add(Object.assign(bakedMesh(new ConeGeometry(1, 1, 12), heads, mat.clone()), { name: `arrowheads:${kind}` }));
  }
  return { group, atoms, parts };
}
