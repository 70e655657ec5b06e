/** The lattice maths lives below the model and the kernels (src/math/lattice.ts); the model re-exports it. */
export * from '../math/lattice.js';
