"""Per-call overhead of parkscore.evaluate(DataFrame) over evaluate(Dataset).

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_python.py [N=91] [M=32]

A framework of 5 categories over M indicators (min-max, arithmetic mean,
competition rank: the defaults), seeded log-normal data for N units. Prints
the best per-call time (of 7 repeats of a timeit loop) of: the compiled call
_core.evaluate(framework, dataset), evaluate(framework, dataset),
to_dataset(frame) and evaluate(framework, frame); the overhead is the
DataFrame call less the Dataset call (docs/performance.md).
"""

import sys
import timeit

import numpy as np
import pandas as pd

import parkscore
from parkscore import _core


def framework(m: int) -> parkscore.Framework:
    fw = parkscore.Framework("index", "Benchmark index")
    for c in range(5):
        fw.add_category("index", f"c{c}", weight=1)
    for j in range(m):
        fw.add_indicator(f"c{j % 5}", f"x{j}")
    return fw


def best(call, number: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=7)) / number


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 91
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    rng = np.random.default_rng(42)
    frame = pd.DataFrame(rng.lognormal(3.0, 1.0, size=(n, m)), columns=[f"x{j}" for j in range(m)])
    frame.insert(0, "id", [f"Z{i:05d}" for i in range(n)])
    fw = framework(m)
    data = parkscore.to_dataset(frame)
    number = max(1, int(20000 / max(n, 1)))
    core = best(lambda: _core.evaluate(fw, data), number)
    with_dataset = best(lambda: parkscore.evaluate(fw, data), number)
    convert = best(lambda: parkscore.to_dataset(frame), number)
    with_frame = best(lambda: parkscore.evaluate(fw, frame), number)
    a = parkscore.evaluate(fw, data).scores()
    b = parkscore.evaluate(fw, frame).scores()
    assert a.equals(b), "evaluate(DataFrame) and evaluate(Dataset) differ"
    print(f"{n} x {m}, best of 7 repeats of {number} calls")
    print(f"_core.evaluate(framework, dataset)   {core * 1e6:9.1f} us")
    print(f"evaluate(framework, dataset)         {with_dataset * 1e6:9.1f} us")
    print(f"to_dataset(frame)                    {convert * 1e6:9.1f} us")
    print(f"evaluate(framework, frame)           {with_frame * 1e6:9.1f} us")
    print(f"overhead of a DataFrame: {(with_frame - with_dataset) * 1e6:.1f} us "
          f"(over the compiled call: {(with_frame - core) * 1e6:.1f} us)")


if __name__ == "__main__":
    main()
