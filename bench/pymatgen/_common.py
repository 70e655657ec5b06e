"""Shared harness of the pymatgen bench scripts: times the import and each repeat of one job inside this process,
then prints one JSON line {import_s, times, cpu_times, result, maxrss_mb} for bench/run.ts (src/bench/pymatgen.ts)."""
import json
import resource
import sys
import time

T_START = time.perf_counter()


def run(job, repeats):
    """job() -> JSON-able result; repeats > 1 gives the runner a median of warm in-process runs."""
    import_s = time.perf_counter() - T_START
    times = []
    cpu = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        c = time.process_time()
        result = job()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"import_s": import_s, "times": times, "cpu_times": cpu, "result": result, "maxrss_mb": rss}))


def repeats():
    return int(sys.argv[-1]) if len(sys.argv) > 2 and sys.argv[-1].isdigit() else 1
