import { BufferAttribute, BufferGeometry, Matrix3, Matrix4, Mesh, type Material } from 'three';

/**
 * Many copies of a small geometry (a bond cylinder, an arrow head) as one plain geometry: the template baked
 * through each instance matrix (cylinderMatrices). One draw call and no per-instance cost, which software
 * rasterisers (SwiftShader) charge for instanced draws. Normals go through each matrix's normal matrix, so
 * stretched cones stay correctly lit.
 */
export function bakedMesh(template: BufferGeometry, matrices: Float32Array, material: Material): Mesh {
  const tp = template.getAttribute('position').array;
  const tn = template.getAttribute('normal').array;
  const ti = template.getIndex()!.array;
  const nv = tp.length / 3;
  const count = matrices.length / 16;
  const pos = new Float32Array(3 * nv * count);
  const nor = new Float32Array(3 * nv * count);
  const index = nv * count > 65535 ? new Uint32Array(ti.length * count) : new Uint16Array(ti.length * count);
  const m4 = new Matrix4();
  const n3 = new Matrix3();
  for (let c = 0; c < count; c++) {
    const m = m4.fromArray(matrices, 16 * c).elements;
    const n = n3.getNormalMatrix(m4).elements;
    for (let v = 0; v < nv; v++) {
      const x = tp[3 * v], y = tp[3 * v + 1], z = tp[3 * v + 2];
      const a = tn[3 * v], b = tn[3 * v + 1], d = tn[3 * v + 2];
      const o = 3 * (c * nv + v);
      let l = 0;
      for (let k = 0; k < 3; k++) {
        pos[o + k] = m[k] * x + m[4 + k] * y + m[8 + k] * z + m[12 + k];
        nor[o + k] = n[k] * a + n[3 + k] * b + n[6 + k] * d;
        l += nor[o + k] * nor[o + k];
      }
      l = Math.sqrt(l) || 1;
      for (let k = 0; k < 3; k++) nor[o + k] /= l;
    }
    for (let k = 0; k < ti.length; k++) index[c * ti.length + k] = ti[k] + c * nv;
  }
  template.dispose();
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(pos, 3));
  geometry.setAttribute('normal', new BufferAttribute(nor, 3));
  geometry.setIndex(new BufferAttribute(index, 1));
  geometry.computeBoundingSphere();
  return new Mesh(geometry, material);
}
