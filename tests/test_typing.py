"""Every public function and method of crmlib has type hints (crmlib ships py.typed)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import crmlib


def public_callables():
    for info in pkgutil.walk_packages(crmlib.__path__, "crmlib."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or ".banks." in info.name:
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", [n for n in vars(module) if not n.startswith("_")])
        for name in names:
            item = getattr(module, name)
            if getattr(item, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(item):
                yield f"{info.name}.{name}", item
            elif inspect.isclass(item):
                for attribute, member in vars(item).items():
                    if attribute.startswith("_") and attribute != "__init__":
                        continue
                    function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                    if isinstance(member, property):
                        function = member.fget
                    if inspect.isfunction(function):
                        yield f"{info.name}.{name}.{attribute}", function


CALLABLES = dict(public_callables())


def test_the_walk_finds_the_library():
    assert len(CALLABLES) > 150
    assert "crmlib.models.bgnbd.BGNBD.fit" in CALLABLES and "crmlib.value.clv_table" in CALLABLES


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_every_parameter_and_the_return_are_annotated(name):
    signature = inspect.signature(CALLABLES[name])
    missing = [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
    ]
    assert not missing, f"{name}: parameters without a type hint: {missing}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{name}: no return type hint"
