"""The hand-written stubs (_core.pyi) match the compiled module: names and parameter names."""

import ast
import inspect
import re
from pathlib import Path

import parkscore
from parkscore import _core

STUB = Path(_core.__file__).with_name("_core.pyi")


def stub_tree():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    functions, classes, variables = {}, {}, set()
    for item in tree.body:
        if isinstance(item, ast.FunctionDef):
            functions[item.name] = item
        elif isinstance(item, ast.ClassDef):
            classes[item.name] = item
        elif isinstance(item, ast.AnnAssign):
            variables.add(item.target.id)
    return functions, classes, variables


def stub_parameters(fn: ast.FunctionDef) -> list:
    names = [a.arg for a in fn.args.args if a.arg != "self"]
    return names + (["**"] if fn.args.kwarg else [])


def split_top_level(text: str) -> list:
    parts, depth, quote, current = [], 0, None, ""
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    return [p.strip() for p in parts + [current] if p.strip()]


def runtime_parameters(fn) -> list:
    """Parameter names from pybind11's signature line: name(a: T, b: U = x, **kwargs) -> R."""
    line = fn.__doc__.splitlines()[0]
    inside = re.match(r"^\w+\((.*)\)\s*->", line).group(1)
    names = []
    for part in split_top_level(inside):
        name = re.split(r"[:=]", part)[0].strip()
        names.append("**" if name.startswith("**") else name)
    return [n for n in names if n != "self"]


def public(names):
    return {n for n in names if not n.startswith("_")}


def test_module_names_match():
    functions, classes, variables = stub_tree()
    stubbed = public(functions) | public(classes) | public(variables)
    assert stubbed == public(dir(_core))
    assert "__version__" in variables


def test_function_signatures_match():
    functions, _, _ = stub_tree()
    for name, fn in functions.items():
        assert stub_parameters(fn) == runtime_parameters(getattr(_core, name)), name


def test_class_members_and_signatures_match():
    _, classes, _ = stub_tree()
    for name, cls in classes.items():
        runtime = getattr(_core, name)
        if issubclass(runtime, BaseException):
            bases = [b.id for b in cls.bases]
            assert [b.__name__ for b in runtime.__bases__] == bases, name
            continue
        members = {}
        for item in cls.body:
            if isinstance(item, ast.FunctionDef):
                members[item.name] = item
            elif isinstance(item, ast.AnnAssign):
                members[item.target.id] = None
        assert public(members) == public(vars(runtime)), name
        for member, fn in members.items():
            attr = inspect.getattr_static(runtime, member)
            if isinstance(attr, property):
                # Settable in the stub (a plain annotation) exactly when settable at runtime.
                assert (fn is None) == (attr.fset is not None), f"{name}.{member}"
            elif fn is not None:
                assert stub_parameters(fn) == runtime_parameters(getattr(runtime, member)), f"{name}.{member}"


def test_package_all_is_complete():
    for name in parkscore.__all__:
        assert hasattr(parkscore, name), name
