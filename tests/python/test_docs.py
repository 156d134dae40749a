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
