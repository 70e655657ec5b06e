import type { Kernels } from '../../src/kernels/types.js';
import { generateSqs } from '../../src/build/sqs/generate.js';
import type { Order } from '../../src/build/sqs/objective.js';
import { writePoscar } from '../../src/io/vasp/poscar-write.js';
import type { InputFile } from './load.js';
import { setStatus } from './ui.js';

/**
 * "Generate SQS" in the page: the same generator and kernels as `oxyscope sqs`, run here; the model goes through the
 * page's own loading path as a POSCAR (so the census and the drawing are those of any opened file). The panel
 * section is built here so that index.html stays as it is.
 */
const FIELDS = `
  <h2>Generate SQS</h2>
  <div class="row"><label>composition <input id="sqs-composition" value="Li1.2Mn0.54Ni0.13Co0.13O2" size="26" /></label></div>
  <div class="row"><label>supercell <input id="sqs-supercell" value="3x3x2" size="7" /></label>
    <label>order <select id="sqs-order"><option>random</option><option>honeycomb</option></select></label></div>
  <div class="row"><label>delithiate <input id="sqs-delithiate" value="0" size="4" /></label>
    <label>seed <input id="sqs-seed" value="1" size="4" /></label></div>
  <div class="row"><button id="sqs-generate">Generate</button></div>`;

export function mountSqs(kernels: Kernels, load: (files: InputFile[]) => Promise<void>): void {
  const section = document.createElement('section');
  section.id = 'sqs-section';
  section.innerHTML = FIELDS;
  document.getElementById('open')?.after(section);
  const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
  document.getElementById('sqs-generate')!.addEventListener('click', () => {
    // let the status paint before the annealing takes the thread
    setStatus('generating an SQS…');
    setTimeout(() => void generate(), 0);
  });

  async function generate(): Promise<void> {
    try {
      const sc = /^(\d+)x(\d+)x(\d+)$/i.exec(value('sqs-supercell'));
      if (!sc) throw new Error('supercell: expected AxBxC, e.g. 3x3x2');
      const delithiate = Number(value('sqs-delithiate'));
      const seed = Number(value('sqs-seed'));
      const run = generateSqs({
        composition: value('sqs-composition'), supercell: [Number(sc[1]), Number(sc[2]), Number(sc[3])],
        order: value('sqs-order') as Order, delithiate: delithiate > 0 ? delithiate : undefined, seed,
      }, kernels);
      const m = run.models[0];
      await load([{ path: `sqs-${m.seed}/POSCAR`, blob: new Blob([writePoscar(m.structure)]) }]);
      setStatus(`SQS seed ${m.seed}: objective ${m.objective.toPrecision(4)}, ${run.composition.rounding}`, run.warnings);
    } catch (e) {
      setStatus('SQS could not be generated', [e instanceof Error ? e.message : String(e)]);
    }
  }
}
