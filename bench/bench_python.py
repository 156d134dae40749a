"""Per-call overhead of parkscore.evaluate(DataFrame) over the compiled call.

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_python.py [N=91] [M=32] [--reference PATH]

A framework of 5 categories over M indicators (min-max, arithmetic mean,
competition rank: the defaults), seeded log-normal data for N units. Prints
the best per-call time of: the compiled call _core.evaluate(framework,
dataset), evaluate(framework, dataset), to_dataset(frame) and
evaluate(framework, frame); the overhead is the DataFrame call less the
compiled call (docs/performance.md). The cases take turns, round after round
(best of 15 rounds), so that a busy machine slows them alike.

With the numpy reference (``--reference PATH``, default ../shared/peers/reference.py
if it exists), also its score_and_rank (min-max, two weighted means, competition
rank of the index) on the same values, in the same process: on the numpy array,
and from the DataFrame (``frame[columns].to_numpy()`` first), as an analyst
would call it.
"""

import importlib.util
import os
import sys
import timeit

import numpy as np
import pandas as pd

import parkscore
from parkscore import _core

ROUNDS = 15


def framework(m: int) -> parkscore.Framework:
    fw = parkscore.Framework("index", "Benchmark index")
    for c in range(5):
        fw.add_category("index", f"c{c}", weight=1)
    for j in range(m):
        fw.add_indicator(f"c{j % 5}", f"x{j}")
    return fw


def best_of_rounds(cases: dict, number: int) -> dict:
    """The best per-call time of each case, the cases taking turns in every round."""
    best = {name: float("inf") for name in cases}
    for _ in range(ROUNDS):
        for name, call in cases.items():
            best[name] = min(best[name], timeit.timeit(call, number=number) / number)
    return best


def load_reference(argv: list):
    path = "../shared/peers/reference.py"
    if "--reference" in argv:
        path = argv[argv.index("--reference") + 1]
    elif not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    argv = sys.argv[1:]
    sizes = [int(a) for a in argv if a.isdigit()]
    n = sizes[0] if sizes else 91
    m = sizes[1] if len(sizes) > 1 else 32
    rng = np.random.default_rng(42)
    columns = [f"x{j}" for j in range(m)]
    frame = pd.DataFrame(rng.lognormal(3.0, 1.0, size=(n, m)), columns=columns)
    frame.insert(0, "id", [f"Z{i:05d}" for i in range(n)])
    fw = framework(m)
    data = parkscore.to_dataset(frame)
    plan = parkscore.compile(fw)
    cases = {
        "_core.evaluate(framework, dataset)": lambda: _core.evaluate(fw, data),
        "evaluate(framework, dataset)": lambda: parkscore.evaluate(fw, data),
        "to_dataset(frame)": lambda: parkscore.to_dataset(frame),
        "evaluate(framework, frame)": lambda: parkscore.evaluate(fw, frame),
        # The reference's own work (it ranks the index only), through a compiled plan.
        "Plan.evaluate(dataset, keep='index')": lambda: plan.evaluate(data, keep="index"),
        "Plan.evaluate(frame, keep='index')": lambda: plan.evaluate(frame, keep="index"),
    }
    reference = load_reference(argv)
    if reference is not None:   # all indicators higher-is-better, category j % 5: the framework above
        ones, category, values = np.ones(m), np.arange(m) % 5, frame[columns].to_numpy()
        cases["reference.score_and_rank(array)"] = lambda: reference.score_and_rank(
            values, ones, category, ones, np.ones(5))
        cases["reference.score_and_rank(frame[cols])"] = lambda: reference.score_and_rank(
            frame[columns].to_numpy(), ones, category, ones, np.ones(5))
    number = max(1, int(4000 / max(n, 1)))
    best = best_of_rounds(cases, number)
    a = parkscore.evaluate(fw, data).scores()
    b = parkscore.evaluate(fw, frame).scores()
    assert a.equals(b), "evaluate(DataFrame) and evaluate(Dataset) differ"
    print(f"{n} x {m}, best of {ROUNDS} rounds of {number} calls per case")
    for name, seconds in best.items():
        print(f"{name:40s} {seconds * 1e6:9.1f} us")
    core, with_dataset, with_frame = (best[k] for k in ("_core.evaluate(framework, dataset)",
                                                        "evaluate(framework, dataset)", "evaluate(framework, frame)"))
    print(f"overhead of a DataFrame over the compiled call: {(with_frame - core) * 1e6:.1f} us "
          f"(over evaluate(dataset): {(with_frame - with_dataset) * 1e6:.1f} us; "
          f"of the Result wrapper: {(with_dataset - core) * 1e6:.1f} us)")


if __name__ == "__main__":
    main()
