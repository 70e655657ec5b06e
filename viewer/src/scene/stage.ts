import { AmbientLight, Color, DirectionalLight, Group, PerspectiveCamera, Quaternion, Scene, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { disposeTree } from './dispose.js';

/**
 * True when WebGL runs on a CPU rasteriser (SwiftShader, llvmpipe): multisampling there costs more than the whole
 * scene, so those get no MSAA and stay interactive.
 */
function softwareGl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(name);
}

/** Frames slower than this (ms apart while the camera moves) switch interaction to reduced resolution. */
const SLOW_FRAME_MS = 45;

/**
 * Renderer, camera, lights and orbit controls around one content group that is replaced (and disposed) on every
 * reload. Renders on demand (a change of the controls, the content or the size), so an idle page costs nothing;
 * `fps` is the rate of frames actually drawn over the last second of drawing. When frames come slowly (a weak or
 * software GPU and a big cell), the camera moves at half resolution and the full picture returns when it stops.
 */
export class Stage {
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly camera = new PerspectiveCamera(25, 1, 0.1, 5000);
  readonly controls: OrbitControls;
  private content = new Group();
  private frames = 0;
  private since = performance.now();
  fps = 0;
  /** frames drawn since start (tests wait for this to move) */
  drawn = 0;
  private dirty = true;
  private readonly fullRatio = Math.min(window.devicePixelRatio, 2);
  private interacting = false;
  private reduced = false;
  /** time between consecutive drawn frames while moving, smoothed (ms) */
  private frameMs = 0;
  private lastDraw = 0;
  private endedAt = 0;

  constructor(private readonly host: HTMLElement) {
    this.renderer = new WebGLRenderer({ antialias: !softwareGl() });
    this.renderer.setPixelRatio(this.fullRatio);
    this.scene.background = new Color(0xffffff);
    host.appendChild(this.renderer.domElement);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = true;
    this.controls.addEventListener('change', () => this.invalidate());
    this.controls.addEventListener('start', () => {
      this.interacting = true;
      if (this.frameMs > SLOW_FRAME_MS) this.setReduced(true);
    });
    this.controls.addEventListener('end', () => {
      this.interacting = false;
      this.endedAt = performance.now();
    });
    this.scene.add(new AmbientLight(0xffffff, 1.1));
    const key = new DirectionalLight(0xffffff, 1.9);
    key.position.set(1, 2, 3);
    // the key light follows the camera so the picture is lit from the viewer's side at every angle
    this.camera.add(key);
    this.scene.add(this.camera);
    this.scene.add(this.content);
    new ResizeObserver(() => this.resize()).observe(host);
    this.resize();
    this.renderer.setAnimationLoop(() => this.tick());
  }

  /** Asks for a new frame (content, camera or size changed). */
  invalidate(): void {
    this.dirty = true;
  }

  private setReduced(on: boolean): void {
    if (on === this.reduced) return;
    this.reduced = on;
    this.renderer.setPixelRatio(on ? this.fullRatio / 2 : this.fullRatio);
    this.resize();
  }

  private resize(): void {
    const w = Math.max(1, this.host.clientWidth), h = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(w, h, false);
    this.renderer.domElement.style.width = '100%';
    this.renderer.domElement.style.height = '100%';
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.invalidate();
  }

  private tick(): void {
    // damping keeps the camera moving for a while after the pointer stops; update() reports those changes
    this.controls.update();
    const now = performance.now();
    // full resolution returns shortly after the pointer lets go, even while damping still drifts the camera
    if (this.reduced && !this.interacting && now - this.endedAt > 300) this.setReduced(false);
    if (!this.dirty) {
      // an idle second ends the measuring window without counting the idle time
      if (now - this.since >= 1000) {
        this.frames = 0;
        this.since = now;
      }
      this.lastDraw = 0;
      return;
    }
    this.dirty = false;
    if (this.interacting && this.frameMs > SLOW_FRAME_MS) this.setReduced(true);
    this.renderer.render(this.scene, this.camera);
    // the interval between back-to-back frames is what the GPU manages (rendering is asynchronous)
    if (this.lastDraw > 0 && !this.reduced) this.frameMs = this.frameMs === 0 ? now - this.lastDraw : 0.7 * this.frameMs + 0.3 * (now - this.lastDraw);
    this.lastDraw = now;
    this.drawn++;
    this.frames++;
    if (now - this.since >= 1000) {
      this.fps = (this.frames * 1000) / (now - this.since);
      this.frames = 0;
      this.since = now;
    }
  }

  /** Replaces the drawn content, disposing the previous one. */
  setContent(group: Group): void {
    disposeTree(this.content);
    this.content = group;
    this.scene.add(group);
    this.frameMs = 0;
    this.invalidate();
  }

  /**
   * Looks at `target` from direction `dir` (unit) so that everything within `across` Å of the viewing axis fits the
   * view, with the eye `depth` Å (the content's half depth) in front of the nearest part.
   */
  look(target: Vector3, dir: Vector3, up: Vector3, across: number, depth: number): void {
    const halfFov = (this.camera.fov * Math.PI) / 360;
    const fit = across / Math.tan(Math.min(halfFov, Math.atan(Math.tan(halfFov) * this.camera.aspect)));
    const dist = fit + depth;
    const radius = Math.max(across, depth);
    this.camera.up.copy(up);
    // OrbitControls orbits about the up vector it saw when constructed; re-derive its frame for the new one
    const frame = this.controls as unknown as { _quat: Quaternion; _quatInverse: Quaternion };
    frame._quat.setFromUnitVectors(up, new Vector3(0, 1, 0));
    frame._quatInverse.copy(frame._quat).invert();
    this.camera.position.copy(target).addScaledVector(dir, dist);
    // generous clip planes: the user zooms in and out with the controls after this
    this.camera.near = Math.max(0.01, radius * 0.005);
    this.camera.far = dist + 30 * radius;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(target);
    this.controls.update();
    this.invalidate();
  }

  /** PNG of the current view (data URL): rendered and read in one task, so no preserved drawing buffer is needed. */
  png(): string {
    this.renderer.render(this.scene, this.camera);
    return this.renderer.domElement.toDataURL('image/png');
  }
}
