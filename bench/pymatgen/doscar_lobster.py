"""lobster.Doscar + completedos: O p-PDOS over [E_F-2, E_F], all O sites, both spins.
usage: doscar_lobster.py DOSCAR.lobster POSCAR [repeats]"""
import sys
import numpy as np
from _common import run, repeats
from pymatgen.core import Element
from pymatgen.electronic_structure.core import OrbitalType
from pymatgen.io.lobster import Doscar


def job():
    d = Doscar(doscar=sys.argv[1], structure_file=sys.argv[2])
    dos = d.completedos.get_element_spd_dos(Element.O)[OrbitalType.p]
    e = dos.energies - dos.efermi
    m = (e >= -2) & (e <= 0)
    return float(sum(np.trapz(x[m], e[m]) for x in dos.densities.values()))


run(job, repeats())
