import { Color, DoubleSide, PlaneGeometry, ShaderMaterial } from 'three';

/**
 * Spheres as impostors: each instance is one camera-facing quad (2 triangles) whose fragment shader intersects the
 * view ray with the exact sphere and shades it. A 10,000-atom cell costs 20,000 triangles instead of ~2 million for
 * tessellated spheres, which is what keeps orbiting smooth on integrated and software (SwiftShader) GPUs.
 * The quad sits on the sphere's front tangent plane and keeps that depth (no gl_FragDepth, so early depth
 * testing still culls hidden fragments): atoms never overlap at their display radii, and the bonds that start
 * inside a sphere stay hidden behind it. Instance matrices are the ones of sphereMatrices (scale = radius,
 * translation = centre), so picking and the tests read the same numbers.
 */

const vertexShader = /* glsl */ `
varying vec3 vCenter;
varying vec3 vPoint;
varying float vRadius;
void main() {
  vec4 c = modelViewMatrix * instanceMatrix * vec4(0.0, 0.0, 0.0, 1.0);
  float r = length((modelMatrix * instanceMatrix * vec4(1.0, 0.0, 0.0, 0.0)).xyz);
  // the quad on the front tangent plane, sized to cover the silhouette (under perspective a little wider than r
  // at the centre's depth, and the front plane is nearer the eye by r)
  vec3 toEye = normalize(-c.xyz);
  vec3 front = c.xyz + toEye * r;
  float d = length(c.xyz);
  float hs = r * 1.04 * (d - r) / sqrt(max(d * d - r * r, 1e-6));
  vec3 p = front + vec3(position.xy * hs, 0.0);
  vCenter = c.xyz;
  vPoint = p;
  vRadius = r;
  gl_Position = projectionMatrix * vec4(p, 1.0);
}`;

const fragmentShader = /* glsl */ `
uniform vec3 color;
uniform float opacity;
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
  // a key light from the upper left of the viewer plus a soft fill, like the Lambert meshes beside it
  float key = max(dot(n, normalize(vec3(-0.35, 0.55, 0.76))), 0.0);
  float rim = pow(1.0 - max(dot(n, -d), 0.0), 3.0);
  vec3 lit = color * (0.42 + 0.68 * key) + 0.12 * rim;
  gl_FragColor = vec4(lit, opacity);
  #include <colorspace_fragment>
}`;

/** The quad every sphere instance is drawn with. */
export function impostorGeometry(): PlaneGeometry {
  return new PlaneGeometry(2, 2);
}

export function impostorMaterial(color: number, opacity = 1): ShaderMaterial {
  return new ShaderMaterial({
    uniforms: { color: { value: new Color(color) }, opacity: { value: opacity } },
    vertexShader,
    fragmentShader,
    side: DoubleSide,
    transparent: opacity < 1,
    depthWrite: opacity >= 1,
  });
}
