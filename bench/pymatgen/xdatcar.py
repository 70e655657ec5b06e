"""Xdatcar: parse every frame. usage: xdatcar.py XDATCAR [repeats]"""
import sys
from _common import run, repeats
from pymatgen.io.vasp import Xdatcar


def job():
    x = Xdatcar(sys.argv[1])
    return {"frames": len(x.structures), "atoms": len(x.structures[0])}


run(job, repeats())
