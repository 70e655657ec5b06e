import { App, type TestHook } from './app.js';
import { pageKernels } from './kernels.js';
import { setStatus } from './ui.js';
import { mountSqs } from './sqs.js';

declare global {
  interface Window {
    __oxyscope?: TestHook;
  }
}

// no top-level await: the bundle is a classic script so the page also opens from file:// (see vite.config.ts)
void (async () => {
  const { kernels, note } = await pageKernels();
  const app = new App(kernels);
  window.__oxyscope = app.hook;
  mountSqs(kernels, (files) => app.load(files));
  setStatus(`ready (${kernels.engine} kernels${note ? `; ${note}` : ''}): open files or drop them here`);
  await app.loadServed();
})();
