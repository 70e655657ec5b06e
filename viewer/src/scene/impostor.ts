import { BufferAttribute, BufferGeometry, Color, DoubleSide, Mesh, ShaderMaterial } from 'three';

/**
 * Spheres as impostors: each sphere is one camera-facing quad (2 triangles) whose fragment shader intersects the
 * view ray with the exact sphere and shades it. All spheres of a group are one plain (non-instanced) geometry
 * drawn in one call: a 10,000-atom cell costs 20,000 triangles instead of ~2 million for tessellated spheres, and
 * software rasterisers (SwiftShader) pay a fixed cost per instance of an instanced draw that this avoids.
 * The quad sits on the sphere's front tangent plane and keeps that depth (no gl_FragDepth, so early depth testing
 * still culls hidden fragments): atoms never overlap at their display radii, and the bonds that start inside a
 * sphere stay hidden behind it.
 */

const vertexShader = /* glsl */ `
attribute vec3 center;
attribute float radius;
attribute vec2 corner;
attribute vec3 tint;
varying vec3 vTint;
varying vec3 vCenter;
varying vec3 vPoint;
varying float vRadius;
void main() {
  vec4 c = modelViewMatrix * vec4(center, 1.0);
  float r = radius;
  // the quad on the front tangent plane, sized to cover the silhouette: the tangent cone from the eye has radius
  // (d − r)·r/√(d² − r²) there; 4 % more for the slight widening away from the view axis
  vec3 toEye = normalize(-c.xyz);
  float d = length(c.xyz);
  float hs = r * 1.04 * (d - r) / sqrt(max(d * d - r * r, 1e-6));
  vec3 p = c.xyz + toEye * r + vec3(corner * hs, 0.0);
  vCenter = c.xyz;
  vPoint = p;
  vRadius = r;
  vTint = tint;
  gl_Position = projectionMatrix * vec4(p, 1.0);
}`;

const fragmentShader = /* glsl */ `
uniform vec3 color;
uniform float opacity;
uniform bool tinted;
varying vec3 vTint;
varying vec3 vCenter;
varying vec3 vPoint;
varying float vRadius;
void main() {
  vec3 d = normalize(vPoint);
  float b = dot(d, vCenter);
  float h = b * b - dot(vCenter, vCenter) + vRadius * vRadius;
  if (h < 0.0) discard;
  vec3 hit = (b - sqrt(h)) * d;
  vec3 n = normalize(hit - vCenter);
  // a key light from the upper left of the viewer, ambient, and a faint rim so touching spheres stay apart
  float key = max(dot(n, normalize(vec3(-0.35, 0.55, 0.76))), 0.0);
  float rim = pow(1.0 - max(dot(n, -d), 0.0), 3.0);
  vec3 base = tinted ? vTint : color;
  gl_FragColor = vec4(base * (0.42 + 0.68 * key) + 0.12 * rim, opacity);
  #include <colorspace_fragment>
}`;

const CORNERS = [-1, -1, 1, -1, 1, 1, -1, 1];

/**
 * One mesh drawing a sphere of radius `radius` (Å) at every centre (3 floats each), in `color`, or in a colour of
 * its own per sphere (`colors`, RGB 0..1, 3 floats each: colouring by a per-site quantity).
 */
export function sphereMesh(centres: Float32Array, radius: number, color: number, opacity = 1, colors?: Float32Array): Mesh {
  const n = centres.length / 3;
  const center = new Float32Array(12 * n);
  const corner = new Float32Array(8 * n);
  const index = n * 4 > 65535 ? new Uint32Array(6 * n) : new Uint16Array(6 * n);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < 4; v++) center.set(centres.subarray(3 * i, 3 * i + 3), 12 * i + 3 * v);
    corner.set(CORNERS, 8 * i);
    index.set([4 * i, 4 * i + 1, 4 * i + 2, 4 * i, 4 * i + 2, 4 * i + 3], 6 * i);
  }
  const geometry = new BufferGeometry();
  // `position` carries the centres too, so three's bounding sphere (frustum culling) covers every atom
  geometry.setAttribute('position', new BufferAttribute(center, 3));
  geometry.setAttribute('center', new BufferAttribute(center, 3));
  geometry.setAttribute('corner', new BufferAttribute(corner, 2));
  geometry.setAttribute('radius', new BufferAttribute(new Float32Array(4 * n).fill(radius), 1));
  if (colors) {
    const tint = new Float32Array(12 * n);
    for (let i = 0; i < n; i++) for (let v = 0; v < 4; v++) tint.set(colors.subarray(3 * i, 3 * i + 3), 12 * i + 3 * v);
    geometry.setAttribute('tint', new BufferAttribute(tint, 3));
  }
  geometry.setIndex(new BufferAttribute(index, 1));
  geometry.computeBoundingSphere();
  if (geometry.boundingSphere) geometry.boundingSphere.radius += radius;
  const material = new ShaderMaterial({
    uniforms: { color: { value: new Color(color) }, opacity: { value: opacity }, tinted: { value: colors !== undefined } },
    vertexShader,
    fragmentShader,
    side: DoubleSide,
    transparent: opacity < 1,
    depthWrite: opacity >= 1,
  });
  return new Mesh(geometry, material);
}
