"""Uncertainty analysis on a Dask cluster against the same run on this machine (issue 13).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/bench_dask.py [REPS=1000000] [N=91] [M=32]

The problem is bench_uncertainty's: N log-normal units, M indicators in 5 categories (min-max,
arithmetic means, competition ranks), each indicator weight x U(0.75, 1.25). The local run uses
2 threads; the cluster is a LocalCluster of 2 process workers with 1 thread each on 127.0.0.1,
started (and warmed with a small run, which imports parkscore in the workers) before timing.
Prints both times (best of 2), the overhead of the cluster and whether the two results are the
same bits (they must be: docs/uncertainty.md). Needs Debian's python3-dask and
python3-distributed.
"""

import sys
import time

import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import parkscore


def problem(n: int, m: int):
    fw = parkscore.Framework("index", "Benchmark index")
    for c in range(5):
        fw.add_category("index", f"c{c}", weight=1)
    for j in range(m):
        fw.add_indicator(f"c{j % 5}", f"x{j}")
    rng = np.random.default_rng(42)
    frame = pd.DataFrame(rng.lognormal(0.0, 1.0, size=(n, m)), columns=[f"x{j}" for j in range(m)])
    frame.insert(0, "id", [f"Z{i:05d}" for i in range(n)])
    spec = {"inputs": [{"type": "weights", "node": f"c{c}", "spread": 0.25} for c in range(5)]}
    return fw, frame, spec


def best_of(runs: int, call):
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 91
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    fw, frame, spec = problem(n, m)
    local_s, local = best_of(2, lambda: parkscore.uncertainty(fw, frame, spec, reps=reps, threads=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        parkscore.uncertainty(fw, frame, spec, reps=1000, client=client)   # warm: imports, first scatter
        cluster_s, remote = best_of(2, lambda: parkscore.uncertainty(fw, frame, spec, reps=reps, client=client))
    same = local.equals(remote)
    print(f"{n} x {m}, {reps} replicates")
    print(f"local, 2 threads                 {local_s * 1e3:9.1f} ms")
    print(f"LocalCluster, 2 process workers  {cluster_s * 1e3:9.1f} ms")
    print(f"overhead of the cluster: {100 * (cluster_s / local_s - 1):.1f} %   same bits: {same}")
    if not same:
        sys.exit("the cluster's result differs from the local one")


if __name__ == "__main__":
    main()
