"""Icohplist: ICOHP at E_F summed by element pair (both spins). usage: icohplist.py ICOHPLIST.lobster [repeats]"""
import re
import sys
from _common import run, repeats
from pymatgen.io.lobster import Icohplist


def element(label):
    return re.sub(r"\d+$", "", label)


def job():
    ic = Icohplist(filename=sys.argv[1])
    sums = {}
    for v in ic.icohpcollection._icohplist.values():
        pair = "-".join(sorted((element(v._atom1), element(v._atom2))))
        sums[pair] = sums.get(pair, 0.0) + v.summed_icohp
    return {k: round(x, 5) for k, x in sorted(sums.items())}


run(job, repeats())
