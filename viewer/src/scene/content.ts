import {
  BufferGeometry,
  Color,
  ConeGeometry,
  CylinderGeometry,
  Float32BufferAttribute,
  Group,
  InstancedMesh,
  LineBasicMaterial,
  LineSegments,
  Line,
  MeshLambertMaterial,
  type Material,
  type Object3D,
} from 'three';
import { sphereMatrices, repeatCount, type AtomGroup, type Repeat } from '../describe/atoms.js';
import { cylinderMatrices, halvesOf, repeatSegments } from '../describe/bonds.js';
import { impostorGeometry, impostorMaterial } from './impostor.js';
import { arrowMatrices, type Arrow } from '../describe/arrows.js';
import { cellEdges } from '../describe/cell.js';
import { ARROW_COLORS, BOND_COLOR, CLUSTER_COLOR, PATH_COLOR } from '../describe/style.js';

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
  /** migrating atoms' paths, one polyline each (3 floats per image) */
  paths: Float32Array[];
  /** ghost spheres at the start and end of each path (3 floats each) */
  ghosts: Float32Array;
  arrows: { inPlane: Arrow[]; outOfPlane: Arrow[] };
}

/** Above this many half-bond instances bonds are drawn as lines: cylinders would dominate the frame time. */
const CYLINDER_LIMIT = 40_000;

function instanced(geometry: BufferGeometry, material: Material, matrices: Float32Array, name: string): InstancedMesh {
  const count = matrices.length / 16;
  const mesh = new InstancedMesh(geometry, material, Math.max(count, 1));
  mesh.instanceMatrix.array.set(matrices);
  mesh.instanceMatrix.needsUpdate = true;
  mesh.count = count;
  mesh.name = name;
  mesh.computeBoundingSphere();
  // the bounding sphere above covers every instance, so culling never drops a visible atom
  return mesh;
}

/**
 * The three.js objects of one frame. `atoms` maps group key → sphere mesh (picking, counts); `parts` maps group
 * key → everything drawn for that group (its spheres and the half-bonds starting from it), which the class
 * toggles switch on and off together.
 */
export function buildFrame(d: FrameDrawing): { group: Group; atoms: Map<string, InstancedMesh>; parts: Map<string, Object3D[]> } {
  const group = new Group();
  const atoms = new Map<string, InstancedMesh>();
  const parts = new Map<string, Object3D[]>();
  const images = repeatCount(d.rep);
  const asLines = d.bonds.owner.length * images > CYLINDER_LIMIT;
  for (const g of d.groups) {
    const mesh = instanced(impostorGeometry(), impostorMaterial(g.color), sphereMatrices(g, d.cart, d.lattice, d.rep), `atoms:${g.key}`);
    atoms.set(g.key, mesh);
    const own: Object3D[] = [mesh];
    const halves = d.bonds.owner.length > 0 ? halvesOf(d.bonds, g.sites) : new Float32Array(0);
    if (halves.length > 0) {
      const bondColor = new Color(g.color).lerp(new Color(BOND_COLOR), 0.35);
      if (asLines) {
        const geo = new BufferGeometry();
        geo.setAttribute('position', new Float32BufferAttribute(repeatSegments(halves, d.lattice, d.rep), 3));
        own.push(Object.assign(new LineSegments(geo, new LineBasicMaterial({ color: bondColor })), { name: `bonds:${g.key}` }));
      } else {
        own.push(instanced(new CylinderGeometry(1, 1, 1, 8, 1, true), new MeshLambertMaterial({ color: bondColor }), cylinderMatrices(halves, 0.11, d.lattice, d.rep), `bonds:${g.key}`));
      }
    }
    parts.set(g.key, own);
    group.add(...own);
  }
  if (d.halo.length > 0) {
    const haloGroup: AtomGroup = { key: 'halo', symbol: 'O', role: 'oxygen', color: CLUSTER_COLOR, radius: 0.85, sites: d.halo };
    group.add(instanced(impostorGeometry(), impostorMaterial(CLUSTER_COLOR, 0.4), sphereMatrices(haloGroup, d.cart, d.lattice, d.rep), 'clusters'));
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
    g.setAttribute('position', new Float32BufferAttribute(p, 3));
    group.add(Object.assign(new Line(g, new LineBasicMaterial({ color: PATH_COLOR, linewidth: 2 })), { name: 'path' }));
  }
  if (d.ghosts.length > 0) {
    const ghostGroup: AtomGroup = { key: 'ghost', symbol: 'X', role: 'other', color: PATH_COLOR, radius: 0.35, sites: Int32Array.from({ length: d.ghosts.length / 3 }, (_, i) => i) };
    group.add(instanced(impostorGeometry(), impostorMaterial(PATH_COLOR, 0.3), sphereMatrices(ghostGroup, d.ghosts, d.lattice, { na: 1, nb: 1, nc: 1 }), 'ghosts'));
  }
  for (const kind of ['inPlane', 'outOfPlane'] as const) {
    const list = d.arrows[kind];
    if (list.length === 0) continue;
    const { shafts, heads } = arrowMatrices(list, d.lattice, d.rep);
    const mat = new MeshLambertMaterial({ color: ARROW_COLORS[kind] });
    group.add(instanced(new CylinderGeometry(1, 1, 1, 8), mat, shafts, `arrows:${kind}`));
    group.add(instanced(new ConeGeometry(1, 1, 12), mat.clone(), heads, `arrowheads:${kind}`));
  }
  return { group, atoms, parts };
}
