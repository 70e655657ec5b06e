import type { Material, Object3D } from 'three';

/** Frees the GPU buffers and programs behind an object tree (three.js keeps them until told). */
export function disposeTree(root: Object3D): void {
  root.traverse((o) => {
    const mesh = o as Object3D & { geometry?: { dispose(): void }; material?: Material | Material[]; dispose?: () => void };
    mesh.geometry?.dispose();
    if (Array.isArray(mesh.material)) mesh.material.forEach((m) => m.dispose());
    else mesh.material?.dispose();
    // InstancedMesh.dispose frees its instance buffers
    if (o !== root && typeof mesh.dispose === 'function') mesh.dispose();
  });
  root.removeFromParent();
}
