"""Xdatcar + get_neighbor_list per frame with oxyscope's default cation-O cutoffs (Shannon CN6 radius + 1.40 + 0.35 A):
the O class counts of every frame and the number of O whose class changed from one frame to the next.
usage: path_census.py XDATCAR [repeats]"""
import sys
from collections import Counter
import numpy as np
from _common import run, repeats
from pymatgen.io.vasp import Xdatcar

# src/analysis/cutoffs.ts: r(cation) + 1.40 + 0.35, for the elements of the bench cells
CUTOFF = {"Li": 2.51, "Mn": 2.395, "Ni": 2.44, "Co": 2.495}
TM = {"Mn", "Ni", "Co"}


def job():
    frames = Xdatcar(sys.argv[1]).structures
    sym = np.array([site.specie.symbol for site in frames[0]])
    o = np.where(sym == "O")[0]
    # -1: never counted (the centre itself comes back at distance 0)
    limit = np.array([CUTOFF[x] if x in TM else -1.0 for x in sym])
    classes, changes, prev = [], 0, None
    for s in frames:
        centres, points, _, dist = s.get_neighbor_list(max(CUTOFF.values()), sites=[s[i] for i in o])
        keep = dist <= limit[points]
        n_tm = np.bincount(centres[keep], minlength=len(o))
        if prev is not None:
            changes += int(np.count_nonzero(n_tm != prev))
        prev = n_tm
        classes.append(dict(Counter(f"O{6 - k}" for k in n_tm.tolist())))
    return {"frames": len(frames), "first": classes[0], "last": classes[-1], "changes": changes}


run(job, repeats())
