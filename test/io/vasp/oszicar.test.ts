import { describe, expect, it } from 'vitest';
import { parseOszicar } from '../../../src/io/vasp/oszicar.js';
import { parseErrorOf } from './helpers.js';

// hand-made in the layout VASP 5.4 writes (relaxation and MD lines); no OSZICAR is among the real fixtures
const RELAX = `       N       E                     dE             d eps       ncg     rms          rms(c)
DAV:   1    -0.425437258809E+02   -0.42544E+02   -0.26514E+03  1520   0.168E+02
RMM:   2    -0.519281913428E+02   -0.93845E+01   -0.73254E+01  1992   0.308E+01    0.113E+01
   1 F= -.10645278E+02 E0= -.10645269E+02  d E =-.106453E+02  mag=     1.9999
DAV:   1    -0.10645E+02   -0.1E-03   -0.2E-03  1520   0.1E-01
   2 F= -.10651234E+02 E0= -.10651220E+02  d E =-.595600E-02  mag=     1.9998
`;
const MD = `   1 T=   300. E= -.33850571E+03 F= -.34236573E+03 E0= -.34236488E+03  EK= 0.38600E+01 SP= 0.00E+00 SK= 0.00E+00
   2 T=   296. E= -.33850602E+03 F= -.34231771E+03 E0= -.34231702E+03  EK= 0.38117E+01 SP= 0.00E+00 SK= 0.00E+00
`;

describe('parseOszicar', () => {
  it('ionic-step lines of a relaxation', () => {
    const o = parseOszicar(RELAX, 'OSZICAR');
    expect(Array.from(o.steps)).toEqual([1, 2]);
    expect(Array.from(o.F)).toEqual([-10.645278, -10.651234]);
    expect(Array.from(o.E0)).toEqual([-10.645269, -10.65122]);
    expect(o.lastE0).toBe(-10.65122);
    expect(o.lastF).toBe(-10.651234);
  });

  it('MD lines (T= … E= … F= … E0=)', () => {
    const o = parseOszicar(MD, 'OSZICAR');
    expect(Array.from(o.F)).toEqual([-342.36573, -342.31771]);
    expect(o.lastE0).toBe(-342.31702);
  });

  it('no ionic step yet gives NaN; empty and broken files are ParseErrors', () => {
    expect(parseOszicar(RELAX.split('\n').slice(0, 3).join('\n'), 'OSZICAR').lastE0).toBeNaN();
    parseErrorOf(() => parseOszicar('', 'OSZICAR'));
    expect(parseErrorOf(() => parseOszicar(RELAX.replace('E0= -.10651220E+02', 'E0= ***********'), 'OSZICAR')).line).toBe(6);
  });
});
