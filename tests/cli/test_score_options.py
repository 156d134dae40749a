"""score --weight-set, --previous and the per-node CSV (score and rank of every node down to --levels).

A three-unit framework small enough to compute by hand: x is scored against last year's mean
(ratio_to_benchmark, benchmark_factor 1), y by min-max; the index weighs category A (x) and B (y)
3:1 by default and 1:3 in the weight set "y_heavy".
"""
import csv
import io
import json

import pytest

from test_cli import run, write

FRAMEWORK = {
    "format": "parkscore-framework", "version": 1, "id": "t", "name": "t",
    "index": {"id": "index", "aggregation": {"method": "arithmetic"}, "children": [
        {"id": "A", "weight": 3, "children": [
            {"id": "x", "direction": "higher",
             "normalisation": {"method": "ratio_to_benchmark", "benchmark_factor": 1, "cap": 2}}]},
        {"id": "B", "weight": 1, "children": [
            {"id": "y", "direction": "higher", "normalisation": {"method": "min_max"}}]}]},
    "weight_sets": {"sets": [{"name": "y_heavy", "weights": {"A": 1, "B": 3}}]},
}
CURRENT = "id,name,x,y\nu1,one,10,10\nu2,two,20,5\nu3,three,30,0\n"
PREVIOUS = "id,name,x,y\nu1,one,10,1\nu2,two,10,2\nu3,three,40,3\n"   # mean x = (10 + 10 + 40) / 3 = 20


@pytest.fixture
def files(tmp_path):
    return (write(tmp_path / "f.json", json.dumps(FRAMEWORK)), write(tmp_path / "now.csv", CURRENT),
            write(tmp_path / "before.csv", PREVIOUS))


def rows_of(out):
    return {r["id"]: r for r in csv.DictReader(io.StringIO(out, newline=""))}


def test_previous_year_benchmark_and_node_scores_and_ranks(files):
    f, now, before = files
    rc, out, err = run("score", f, now, "--previous", before, "--format", "csv", "--levels", "2")
    assert rc == 0, err
    assert out.splitlines()[0] == "pool,rank,id,name,index,A,A_rank,x,x_rank,B,B_rank,y,y_rank"
    rows = rows_of(out)
    # x: 100 · min(x / 20, 2) = 50, 100, 150; y: min-max 100 · (y - 0) / 10 = 100, 50, 0.
    # index = (3 · x score + 1 · y score) / 4: u1 (150 + 100) / 4 = 62.5, u2 (300 + 50) / 4 = 87.5, u3 450 / 4 = 112.5
    assert [float(rows[u]["A"]) for u in ("u1", "u2", "u3")] == pytest.approx([50, 100, 150])
    assert [float(rows[u]["y"]) for u in ("u1", "u2", "u3")] == pytest.approx([100, 50, 0])
    assert [float(rows[u]["index"]) for u in ("u1", "u2", "u3")] == pytest.approx([62.5, 87.5, 112.5])
    assert [rows[u]["rank"] for u in ("u1", "u2", "u3")] == ["3", "2", "1"]
    assert [rows[u]["A_rank"] for u in ("u1", "u2", "u3")] == ["3", "2", "1"]
    assert [rows[u]["B_rank"] for u in ("u1", "u2", "u3")] == ["1", "2", "3"]
    assert rows["u2"]["x_rank"] == "2" and rows["u3"]["y_rank"] == "3"


def test_levels_limit_the_csv_columns(files):
    f, now, before = files
    rc, out, err = run("score", f, now, "--previous", before, "--format", "csv")   # --levels 1 by default
    assert rc == 0, err
    assert out.splitlines()[0] == "pool,rank,id,name,index,A,A_rank,B,B_rank"
    rc, out, err = run("score", f, now, "--previous", before, "--format", "csv", "--levels", "0")
    assert out.splitlines()[0] == "pool,rank,id,name,index"
    # JSON carries the same ranks per node.
    rc, out, err = run("score", f, now, "--previous", before, "--format", "json")
    doc = json.loads(out)
    assert {r["id"]: r["ranks"] for r in doc["rows"]}["u1"] == {"index": 3, "A": 3, "B": 1}


def test_weight_set_changes_the_ranking(files):
    f, now, before = files
    rc, out, err = run("score", f, now, "--previous", before, "--weight-set", "y_heavy", "--format", "csv")
    assert rc == 0, err
    rows = rows_of(out)
    # (1 · x score + 3 · y score) / 4: u1 (50 + 300) / 4 = 87.5, u2 (100 + 150) / 4 = 62.5, u3 150 / 4 = 37.5
    assert [float(rows[u]["index"]) for u in ("u1", "u2", "u3")] == pytest.approx([87.5, 62.5, 37.5])
    assert [rows[u]["rank"] for u in ("u1", "u2", "u3")] == ["1", "2", "3"]
    # Naming the default set is the same as naming none.
    assert run("score", f, now, "--previous", before, "--weight-set", "default", "--format", "csv")[1] == \
        run("score", f, now, "--previous", before, "--format", "csv")[1]


def test_unknown_weight_set_lists_the_known_ones(files):
    f, now, before = files
    rc, out, err = run("score", f, now, "--previous", before, "--weight-set", "x_heavy")
    assert rc == 1 and out == ""
    assert "--weight-set 'x_heavy': the framework 't' has no such weight set; its weight sets are: default, y_heavy" in err


def test_previous_is_read_like_the_data_file(tmp_path, files):
    f, now, _ = files
    # The same column mapping applies: the previous file's own headers are mapped too.
    mapped = write(tmp_path / "mapped.csv", PREVIOUS.replace("id,name,x,y", "id,name,产值,y"))
    rc, out, err = run("score", f, now, "--previous", mapped, "--map-column", "产值=x", "--format", "csv")
    assert rc == 0, err
    assert float(rows_of(out)["u1"]["A"]) == pytest.approx(50)
    # An indicator missing from the previous year's file is named, with the file.
    short = write(tmp_path / "short.csv", "id,name,x\nu1,one,10\n")
    rc, out, err = run("score", f, now, "--previous", short)
    assert rc == 1
    assert "short.csv:1: no column for indicator 'y'" in err
    # Without it, the benchmark has no previous year to come from.
    rc, out, err = run("score", f, now)
    assert rc == 1 and "--previous FILE" in err and "::" not in err   # what to give, not a C++ field
    # One data file only: several files are several years.
    rc, out, err = run("score", f, now, now, "--previous", short)
    assert rc == 1 and "--previous" in err and "one data file" in err


def test_previous_feeds_lag_in_derived_indicators(tmp_path):
    framework = {
        "format": "parkscore-framework", "version": 1, "id": "g",
        "derived": [{"id": "growth", "expression": "if(lag(x) > 0, x / lag(x) - 1, 0)"}],
        "index": {"id": "index", "children": [
            {"id": "growth", "direction": "higher", "normalisation": {"method": "min_max"}}]},
    }
    f = write(tmp_path / "g.json", json.dumps(framework))
    now = write(tmp_path / "now.csv", "id,name,x\nu1,one,12\nu2,two,20\nu3,three,30\n")
    before = write(tmp_path / "before.csv", "id,name,x\nu1,one,10\nu2,two,10\nu3,three,0\n")
    rc, out, err = run("score", f, now, "--previous", before, "--format", "csv", "--levels", "1")
    assert rc == 0, err
    rows = rows_of(out)
    # growth = 12/10 - 1 = 0.2, 20/10 - 1 = 1, and 0 for u3 (no base year value > 0);
    # min-max: 100 · (0.2 - 0) / (1 - 0) = 20, 100, 0
    assert [float(rows[u]["growth"]) for u in ("u1", "u2", "u3")] == pytest.approx([20, 100, 0])
    assert [rows[u]["growth_rank"] for u in ("u1", "u2", "u3")] == ["2", "1", "3"]
