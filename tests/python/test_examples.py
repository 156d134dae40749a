"""Every example in examples/python runs and prints what it should."""

import os
import subprocess
import sys


from conftest import SOURCE_DIR

EXAMPLES = SOURCE_DIR / "examples" / "python"


def run(name, *args):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=EXAMPLES, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == ["custom_index.py", "demo_ranking.py",
                                                           "uncertainty_plot.py"]


def test_demo_ranking():
    # The provincial pool of examples/jiangsu_ranking (jiangsu-2021 on the 2023 data): 90 ranked zones
    # and one vetoed, unranked zone.
    out = run("demo_ranking.py")
    lines = out.splitlines()
    rows = [line for line in lines[2:] if line.startswith("P")]
    assert len(rows) == 91
    ranks = [line.split("(synthetic)")[1].split()[0] for line in rows]
    assert ranks == [f"{r}.0" for r in range(1, 91)] + ["NaN"]
    # examples/jiangsu_ranking prints the same ranking: P067 first with 94.27 points.
    assert rows[0].startswith("P067") and "94.27" in rows[0]
    assert lines[-1].startswith("vetoed: ") and "veto" in lines[-1]


def test_custom_index():
    out = run("custom_index.py")
    assert "Z5" in out and "absolute_weight" in out


def test_uncertainty_plot(tmp_path):
    target = tmp_path / "u.png"
    assert "wrote" in run("uncertainty_plot.py", target)
    assert target.stat().st_size > 1000
