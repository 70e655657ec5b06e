"""Cohpcar: parse, then the ICOHP at E_F of every bond summed by element pair (both spins).
usage: cohpcar.py COHPCAR.lobster POSCAR [repeats]"""
import re
import sys
import numpy as np
from _common import run, repeats
from pymatgen.core import Structure
from pymatgen.io.lobster import Cohpcar


def job():
    c = Cohpcar(filename=sys.argv[1])
    species = [site.specie.symbol for site in Structure.from_file(sys.argv[2])]
    i0 = int(np.argmin(np.abs(c.energies)))
    sums = {}
    for key, bond in c.cohp_data.items():
        if key == "average":
            continue
        pair = "-".join(sorted(species[i] for i in bond["sites"]))
        sums[pair] = sums.get(pair, 0.0) + sum(float(v[i0]) for v in bond["ICOHP"].values())
    return {k: round(x, 5) for k, x in sorted(sums.items())}


run(job, repeats())
