"""Vasprun + complete_dos: O p-PDOS over [E_F-2, E_F], all O sites, both spins (grid points in the window, trapz).
usage: vasprun_pdos.py vasprun.xml [repeats]"""
import sys
import numpy as np
from _common import run, repeats
from pymatgen.core import Element
from pymatgen.electronic_structure.core import OrbitalType
from pymatgen.io.vasp import Vasprun


def job():
    v = Vasprun(sys.argv[1], parse_eigen=False, parse_projected_eigen=False, parse_potcar_file=False)
    dos = v.complete_dos.get_element_spd_dos(Element.O)[OrbitalType.p]
    e = dos.energies - dos.efermi
    m = (e >= -2) & (e <= 0)
    return float(sum(np.trapz(d[m], e[m]) for d in dos.densities.values()))


run(job, repeats())
