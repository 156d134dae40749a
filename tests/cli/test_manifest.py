"""score --manifest / --tables and rerun (docs/manifest.md): the re-run reproduces every score and
rank bit for bit, a changed input file is refused naming it. The small framework of
test_score_options.py: x against last year's mean (benchmark_factor 1), y by min-max, weight set y_heavy."""
import csv
import json
import struct

from test_cli import run, write
from test_score_options import CURRENT, FRAMEWORK, PREVIOUS


def numbers(path):
    """Every cell of a table CSV after its key columns, as the bits of a double (None = missing)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    key_names = {"unit", "grouping", "label", "pool", "indicator", "method", "direction", "node", "child", "applied"}
    keys = next(i for i, name in enumerate(rows[0] + [""]) if name not in key_names)
    return [[None if c == "" else struct.pack("<d", float(c)) for c in row[keys:]] for row in rows[1:]]


def test_manifest_rerun_reproduces_bit_for_bit(tmp_path):
    f = write(tmp_path / "f.json", json.dumps(FRAMEWORK))
    now = write(tmp_path / "now.csv", CURRENT)
    before = write(tmp_path / "before.csv", PREVIOUS)
    manifest = tmp_path / "run.json"
    rc, first, err = run("score", f, now, "--previous", before, "--weight-set", "y_heavy", "--pool", "all",
                         "--manifest", manifest, "--tables", tmp_path / "t1", "--format", "csv")
    assert rc == 0, err
    m = json.loads(manifest.read_text(encoding="utf-8"))
    assert m["options"]["weight_set"] == "y_heavy"
    assert m["data"]["reader"] == "office" and m["data"]["file"].endswith("now.csv")
    assert m["previous"]["file"].endswith("before.csv")
    # The benchmark fitted from last year: mean x = (10 + 10 + 40) / 3 = 20.
    x = [row for row in m["constants"]["normalisation"] if row["indicator"] == "x"]
    assert len(x) == 1 and x[0]["benchmark"] == 20

    rc, again, err = run("rerun", manifest, "--tables", tmp_path / "t2", "--format", "csv")
    assert rc == 0, err
    assert "reproduced bit for bit" in err
    assert again == first
    for name in ("scores", "ranks", "normalised", "imputed", "treated", "contributions", "normalisation", "weights"):
        assert numbers(tmp_path / "t1" / f"{name}.csv") == numbers(tmp_path / "t2" / f"{name}.csv"), name
        assert (tmp_path / "t1" / f"{name}.csv").read_bytes() == (tmp_path / "t2" / f"{name}.csv").read_bytes()
    # y_heavy weighs A : B = 1 : 3; u1: x 50, y 100 -> (50 + 300) / 4 = 87.5.
    with open(tmp_path / "t1" / "scores.csv", newline="", encoding="utf-8") as fh:
        scores = {r["unit"]: r for r in csv.DictReader(fh)}
    assert float(scores["u1"]["index"]) == 87.5

    # A changed data file is refused, naming it.
    write(now, CURRENT.replace("u3,three,30,0", "u3,three,31,0"))
    rc, out, err = run("rerun", manifest)
    assert rc == 1
    assert f"{now}: the file changed since the run" in err


def test_manifest_and_tables_take_one_data_file(tmp_path):
    f = write(tmp_path / "f.json", json.dumps(FRAMEWORK))
    a = write(tmp_path / "t-2022.csv", CURRENT)
    b = write(tmp_path / "t-2023.csv", CURRENT)
    rc, out, err = run("score", f, a, b, "--manifest", tmp_path / "m.json")
    assert rc == 1 and "--manifest: give one data file" in err
