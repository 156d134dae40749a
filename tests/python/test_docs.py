"""Docstrings: help() is useful for every public name."""

import inspect
import pydoc

import parkscore
import parkscore.plot


def test_help_evaluate():
    text = pydoc.render_doc(parkscore.evaluate, renderer=pydoc.plaintext)
    for word in ("Parameters", "pools", "excluded", "progress", "Returns", "DataError"):
        assert word in text


def test_every_public_name_has_a_docstring():
    for module in (parkscore, parkscore.plot):
        for name in module.__all__:
            obj = getattr(module, name)
            if name.startswith("__"):
                continue
            assert inspect.getdoc(obj), f"{module.__name__}.{name}"


def test_every_public_method_has_a_docstring():
    for cls in (parkscore.Framework, parkscore.Dataset, parkscore.Result):
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            assert inspect.getdoc(member), f"{cls.__name__}.{name}"
    assert "add_indicator" in pydoc.render_doc(parkscore.Framework, renderer=pydoc.plaintext)


def _python_blocks(markdown: str) -> list[str]:
    blocks, inside, current = [], False, []
    for line in markdown.splitlines():
        if line.strip() == "```python":
            inside, current = True, []
        elif inside and line.strip() == "```":
            inside = False
            blocks.append("\n".join(current))
        elif inside:
            current.append(line)
    return blocks


def test_readme_and_python_doc_snippets_run(source_dir, monkeypatch):
    """Code shown in README.md and docs/python.md must run as written (from the repository root)."""
    monkeypatch.chdir(source_dir)
    ran = 0
    for doc in ("README.md", "docs/python.md"):
        for block in _python_blocks((source_dir / doc).read_text(encoding="utf-8")):
            code = "\n".join(line.split("#")[0] for line in block.splitlines())
            if "..." in code:   # an elided sketch, not a runnable snippet
                continue
            exec(compile(block, f"{doc} snippet", "exec"), {})
            ran += 1
    assert ran >= 2   # at least README.md's and docs/python.md's
