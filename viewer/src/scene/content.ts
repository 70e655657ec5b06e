import {
  BufferGeometry,
  Color,
  ConeGeometry,
  CylinderGeometry,
  Float32BufferAttribute,
  Group,
  InstancedBufferAttribute,
  InstancedMesh,
  LineBasicMaterial,
  LineSegments,
  Line,
  MeshBasicMaterial,
  MeshLambertMaterial,
  SphereGeometry,
  type BufferGeometry as Geometry,
} from 'three';
import { sphereMatrices, repeatCount, type AtomGroup, type Repeat } from '../describe/atoms.js';
import { cylinderMatrices } from '../describe/bonds.js';
import { arrowMatrices, type Arrow } from '../describe/arrows.js';
import { cellEdges } from '../describe/cell.js';
import { ARROW_COLORS, BOND_COLOR, CLUSTER_COLOR, PATH_COLOR } from '../describe/style.js';

/** What one drawing of a frame needs; every array is already in Å and Cartesian. */
export interface FrameDrawing {
  groups: AtomGroup[];
  cart: Float64Array;
  lattice: Float64Array;
  rep: Repeat;
  /** half-bond segments of the unit cell (6 floats each) and the site each starts from (its colour) */
  bonds: { segments: Float32Array; owner: Int32Array };
  /** sites drawn with a highlight halo (O5 clusters) */
  halo: Int32Array;
  /** migrating atoms' paths, one polyline each (3 floats per image) */
  paths: Float32Array[];
  /** ghost spheres at the start and end of each path (3 floats each) */
  ghosts: Float32Array;
  arrows: { inPlane: Arrow[]; outOfPlane: Arrow[] };
}

/** Colour (linear RGB, 3 floats) of every half-bond instance: the colour of the atom it starts from, softened. */
function bondColors(groups: AtomGroup[], owner: Int32Array, images: number): Float32Array {
  const siteColor = new Map<number, Color>();
  for (const g of groups) {
    const c = new Color(g.color).lerp(new Color(BOND_COLOR), 0.35);
    for (const s of g.sites) siteColor.set(s, c);
  }
  const out = new Float32Array(3 * owner.length * images);
  for (let m = 0; m < images; m++) {
    for (let k = 0; k < owner.length; k++) {
      const c = siteColor.get(owner[k]) ?? new Color(BOND_COLOR);
      out.set([c.r, c.g, c.b], 3 * (m * owner.length + k));
    }
  }
  return out;
}

/** Sphere detail drops with the instance count so a 10,000-atom cell at 3×3×3 still orbits. */
function sphereGeometry(instances: number): SphereGeometry {
  if (instances > 60_000) return new SphereGeometry(1, 8, 6);
  if (instances > 8_000) return new SphereGeometry(1, 12, 8);
  return new SphereGeometry(1, 20, 14);
}

function instanced(geometry: Geometry, material: MeshLambertMaterial | MeshBasicMaterial, matrices: Float32Array, name: string): InstancedMesh {
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

/** The three.js objects of one frame. `atoms` maps group key → mesh (class toggles switch `visible`). */
export function buildFrame(d: FrameDrawing): { group: Group; atoms: Map<string, InstancedMesh> } {
  const group = new Group();
  const atoms = new Map<string, InstancedMesh>();
  const total = d.groups.reduce((n, g) => n + g.sites.length, 0) * repeatCount(d.rep);
  const sphere = sphereGeometry(total);
  for (const g of d.groups) {
    const mesh = instanced(g === d.groups[0] ? sphere : sphere.clone(), new MeshLambertMaterial({ color: g.color }), sphereMatrices(g, d.cart, d.lattice, d.rep), `atoms:${g.key}`);
    atoms.set(g.key, mesh);
    group.add(mesh);
  }
  if (d.bonds.owner.length > 0) {
    const bonds = instanced(new CylinderGeometry(1, 1, 1, 6, 1, true), new MeshLambertMaterial({ color: 0xffffff }), cylinderMatrices(d.bonds.segments, 0.11, d.lattice, d.rep), 'bonds');
    bonds.instanceColor = new InstancedBufferAttribute(bondColors(d.groups, d.bonds.owner, repeatCount(d.rep)), 3);
    group.add(bonds);
  }
  if (d.halo.length > 0) {
    const haloGroup: AtomGroup = { key: 'halo', symbol: 'O', role: 'oxygen', color: CLUSTER_COLOR, radius: 0.85, sites: d.halo };
    const mat = new MeshBasicMaterial({ color: new Color(CLUSTER_COLOR), transparent: true, opacity: 0.35, depthWrite: false });
    group.add(instanced(new SphereGeometry(1, 16, 10), mat, sphereMatrices(haloGroup, d.cart, d.lattice, d.rep), 'clusters'));
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
    const mat = new MeshBasicMaterial({ color: PATH_COLOR, transparent: true, opacity: 0.3, depthWrite: false });
    group.add(instanced(new SphereGeometry(1, 16, 10), mat, sphereMatrices(ghostGroup, d.ghosts, d.lattice, { na: 1, nb: 1, nc: 1 }), 'ghosts'));
  }
  for (const kind of ['inPlane', 'outOfPlane'] as const) {
    const list = d.arrows[kind];
    if (list.length === 0) continue;
    const { shafts, heads } = arrowMatrices(list, d.lattice, d.rep);
    const mat = new MeshLambertMaterial({ color: ARROW_COLORS[kind] });
    group.add(instanced(new CylinderGeometry(1, 1, 1, 8), mat, shafts, `arrows:${kind}`));
    group.add(instanced(new ConeGeometry(1, 1, 12), mat.clone(), heads, `arrowheads:${kind}`));
  }
  return { group, atoms };
}
