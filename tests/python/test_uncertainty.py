"""parkscore.uncertainty / sobol / smaa and their plots; the Dask path gives the same bits."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import parkscore
import parkscore.plot as pplot
from parkscore import _core

SPEC = {"inputs": [{"type": "weights", "node": "*", "spread": 0.3},
                   {"type": "normalisation", "options": [{"method": "efficacy"}, {"method": "min_max"}]}]}


def test_frame_and_nominal(demo_framework_path, demo_csv):
    table = parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=2000, seed=3, pool="all")
    assert list(table.index) == ["D01", "D02", "D03", "D04", "D05", "D06"]
    assert table.attrs["replicates"] == 2000
    nominal = parkscore.evaluate(demo_framework_path, demo_csv).ranks("all")["index"]
    np.testing.assert_array_equal(table["nominal_rank"].to_numpy(), nominal.to_numpy())
    assert ((table["lo"] <= table["median"]) & (table["median"] <= table["hi"])).all()
    assert ((table["p_top"] >= 0) & (table["p_top"] <= 1)).all()
    # Three units can be in the top 3 at a time: the shares add up to exactly 3.
    assert table["p_top"].sum() == pytest.approx(3.0)


def test_zero_perturbation_is_nominal(demo_framework_path, demo_csv):
    spec = {"inputs": [{"type": "weights", "spread": 0.0}]}
    table = parkscore.uncertainty(demo_framework_path, demo_csv, spec, reps=50, pool="level")
    np.testing.assert_array_equal(table["median"], table["nominal_rank"])
    np.testing.assert_array_equal(table["lo"], table["hi"])
    assert (table["mean_abs_shift"] == 0).all()


def test_same_bits_threads_chunks_and_pickle(demo_framework_path, demo_csv):
    _, one = parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=3000, seed=9, return_partial=True)
    _, two = parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=3000, seed=9, threads=2,
                                   return_partial=True)
    assert one == two
    engine = parkscore._uncertainty.uncertainty_engine(demo_framework_path, demo_csv, SPEC, reps=3000, seed=9)
    split = engine.run_range(0, 1000)
    split.merge(pickle.loads(pickle.dumps(engine)).run_range(1000, 3000))   # a recompiled engine, same draws
    assert split == one
    assert pickle.loads(pickle.dumps(one)) == one


def test_dask_local_cluster_same_bits(demo_framework_path, demo_csv):
    distributed = pytest.importorskip("distributed")
    local, _ = None, None
    local = parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=4000, seed=5, return_partial=True)
    # Process workers: the engine travels pickled (its inputs) and is recompiled once per worker.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        table, partial = parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=4000, seed=5,
                                               client=client, chunks=7, return_partial=True)
    assert partial == local[1]
    pd.testing.assert_frame_equal(table, local[0])


def test_progress_callback(demo_framework_path, demo_csv):
    calls = []
    parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=5000, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (5000, 5000)


def test_smaa_sums(demo_framework_path, demo_csv):
    # Without the published rounding to 2 decimals, so that no two units tie (a tie leaves a rank empty).
    spec = json.loads(demo_framework_path.read_text(encoding="utf-8"))
    del spec["ranking"]["round"]
    fw = parkscore.parse_framework(json.dumps(spec))
    res = parkscore.smaa(fw, demo_csv, reps=3000, pool="all")
    np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(res.acceptability.sum(axis=0), 1.0)
    assert list(res.central_weights.columns) == ["ECO", "GRN"]
    first = res.acceptability[1] > 0
    np.testing.assert_allclose(res.central_weights[first].sum(axis=1), 1.0)


def test_sobol_frame_and_plots(demo_framework_path, demo_csv):
    spec = {"inputs": [{"type": "weights", "node": "index", "spread": 0.5},
                       {"type": "weights", "node": "GRN", "spread": 0.0}]}
    s = parkscore.sobol(demo_framework_path, demo_csv, spec, base_samples=500, bootstrap=50, pool="all")
    assert list(s.index) == ["weights:index", "weights:GRN"]
    assert s.loc["weights:GRN", "total"] == 0.0   # spread 0 cannot move anything
    assert s.attrs["evaluations"] == 500 * 4
    fig = pplot.sobol_indices(s)
    assert isinstance(fig, Figure)
    assert len([p for p in fig.axes[0].patches if isinstance(p, Rectangle)]) == 4
    fig.canvas.draw()
    table = parkscore.uncertainty(demo_framework_path, demo_csv, SPEC, reps=500, pool="all")
    fig = pplot.rank_uncertainty(table)
    ax = fig.axes[0]
    (intervals,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(intervals.get_segments()) == 6
    assert len(ax.lines) == 2   # medians and nominal ranks
    fig.canvas.draw()


def test_bad_spec_names_the_path(demo_framework_path, demo_csv):
    with pytest.raises(parkscore.SchemaError, match="/inputs/0/node: no node 'XYZ'"):
        parkscore.uncertainty(demo_framework_path, demo_csv, {"inputs": [{"type": "weights", "node": "XYZ"}]})
