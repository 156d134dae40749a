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
    out = run("demo_ranking.py")
    lines = out.splitlines()
    assert "经济发展" in lines[0]
    assert lines[2].startswith("D01") and "104.4" in lines[2]   # national rank 1 (tests/python/test_evaluate.py)
    assert "1 missing value(s): fdi" in out


def test_custom_index():
    out = run("custom_index.py")
    assert "Z5" in out and "absolute_weight" in out


def test_uncertainty_plot(tmp_path):
    target = tmp_path / "u.png"
    assert "wrote" in run("uncertainty_plot.py", target)
    assert target.stat().st_size > 1000
