"""Structure.from_file + get_neighbor_list(2.5 A): (nTM, nLi) histogram of the O sites.
usage: census.py POSCAR [repeats]"""
import sys
from collections import Counter
import numpy as np
from _common import run, repeats
from pymatgen.core import Structure

TM = {"Mn", "Ni", "Co"}


def job():
    s = Structure.from_file(sys.argv[1])
    sym = np.array([site.specie.symbol for site in s])
    centres, points, _, _ = s.get_neighbor_list(2.5)
    is_o = sym[centres] == "O"
    c, p = centres[is_o], sym[points[is_o]]
    n_tm = np.bincount(c[np.isin(p, list(TM))], minlength=len(s))
    n_li = np.bincount(c[p == "Li"], minlength=len(s))
    o = np.where(sym == "O")[0]
    hist = Counter(zip(n_tm[o].tolist(), n_li[o].tolist()))
    return {f"{a},{b}": n for (a, b), n in sorted(hist.items())}


run(job, repeats())
