import { AmbientLight, Color, DirectionalLight, Group, PerspectiveCamera, Scene, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { disposeTree } from './dispose.js';

/**
 * Renderer, camera, lights and orbit controls around one content group that is replaced (and disposed) on every
 * reload. Renders on demand (a change of the controls, the content or the size), so an idle page costs nothing;
 * `fps` is the rate of frames actually drawn over the last second of drawing.
 */
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

  constructor(private readonly host: HTMLElement) {
    this.renderer = new WebGLRenderer({ antialias: !softwareGl() });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new Color(0xffffff);
    host.appendChild(this.renderer.domElement);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = true;
    this.controls.addEventListener('change', () => this.invalidate());
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
    if (!this.dirty) {
      // an idle second ends the measuring window without counting the idle time
      if (now - this.since >= 1000) {
        this.frames = 0;
        this.since = now;
      }
      return;
    }
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
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
    this.invalidate();
  }

  /** Looks at `target` from direction `dir` (unit), far enough to fit a sphere of `radius` Å. */
  look(target: Vector3, dir: Vector3, up: Vector3, radius: number): void {
    const dist = radius / Math.sin((this.camera.fov * Math.PI) / 360);
    this.camera.up.copy(up);
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
