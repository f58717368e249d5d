"""Code compiled from strings and kept (claimlint.stringcode) is the code the builtins compile: the
same dataclasses and resolved annotations from a cold cache and a warm one, the caller's
``from __future__`` flags honoured, a damaged entry compiled afresh, the modules left as found."""

from __future__ import annotations
import __future__

import builtins
import dataclasses
import marshal
import pickle
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from claimlint import stringcode


def _make_dataclass() -> type:
    """A dataclass with every generated method dataclasses writes as source."""

    @dataclasses.dataclass(frozen=True, order=True)
    class Dose:
        ingredient: str
        percent: float = 1.0
        notes: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Dose


_GENERATED = ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__")


def _generated(cls: type) -> dict[str, bytes]:
    return {name: getattr(cls, name).__code__.co_code for name in _GENERATED}


def test_dataclasses_made_cold_and_warm_are_the_same(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = _make_dataclass()
    with stringcode.kept():
        cold = _make_dataclass()
    (entry,) = cache.glob(f"{stringcode.KIND}-*.pickle")  # kept on the way out
    sources = [source for source, *_ in pickle.loads(entry.read_bytes())[1]]
    for name in _GENERATED:  # one source per method before Python 3.13, one for them all since
        assert any(f"def {name}(" in source for source in sources), name

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"compiled although it was kept: {args[0]!r}")

    monkeypatch.setattr(builtins, "compile", never)
    with stringcode.kept():
        warm = _make_dataclass()
    monkeypatch.undo()
    for cls in (cold, warm):
        assert _generated(cls) == _generated(reference)
        dose = cls("retinol", 0.3)
        assert repr(dose).endswith("Dose(ingredient='retinol', percent=0.3, notes=[])")
        assert dose == cls("retinol", 0.3, ["night"]) and dose < cls("retinol", 0.5)
        with pytest.raises(dataclasses.FrozenInstanceError):
            dose.percent = 2.0  # type: ignore[misc]


def test_string_annotations_resolve_the_same_cold_and_warm(cache: Path) -> None:
    def resolve() -> dict[str, object]:
        namespace: dict[str, object] = {}
        exec(
            "from __future__ import annotations\ndef f(x: 'list[int]', y: dict[str, float] | None) -> tuple[int, ...]: ...",
            namespace,
        )
        return typing.get_type_hints(namespace["f"])

    reference = resolve()
    with stringcode.kept():
        cold = resolve()
    with stringcode.kept():
        warm = resolve()
    assert cold == warm == reference == {"x": list[int], "y": dict[str, float] | None, "return": tuple[int, ...]}


def _run_in(flags: int) -> dict[str, object]:
    """Defines ``f`` through the stand-in, called from code compiled with ``flags``."""
    namespace: dict[str, object] = {"run": stringcode._exec}
    caller = compile("run('def f(x: int) -> str: pass', globals())", "<caller>", "exec", flags, True)
    exec(caller, namespace)
    return namespace["f"].__annotations__  # type: ignore[attr-defined, no-any-return]


def test_the_callers_future_flags_are_inherited_and_keyed(cache: Path) -> None:
    postponed = __future__.annotations.compiler_flag
    with stringcode.kept():
        assert _run_in(postponed) == {"x": "int", "return": "str"}
        assert _run_in(0) == {"x": int, "return": str}
    with stringcode.kept():  # warm: each from its own entry
        assert _run_in(0) == {"x": int, "return": str}
        assert _run_in(postponed) == {"x": "int", "return": "str"}


def test_exec_without_namespaces_runs_in_the_callers() -> None:
    namespace: dict[str, object] = {"run": stringcode._exec, "here": 21}
    exec("run('found = here * 2')", namespace)  # no namespaces given: the caller's own, as the builtin's
    assert namespace["found"] == 42


def test_a_kept_entry_that_cannot_be_loaded_is_compiled_afresh(cache: Path) -> None:
    with stringcode.kept():
        _make_dataclass()
    (entry,) = cache.glob(f"{stringcode.KIND}-*.pickle")
    key, table = pickle.loads(entry.read_bytes())
    damaged = {source: b"not marshal data" for source in table}
    entry.write_bytes(pickle.dumps((key, damaged)))
    with stringcode.kept():
        again = _make_dataclass()
    assert _generated(again) == _generated(_make_dataclass())
    repaired = pickle.loads(entry.read_bytes())[1]
    assert repaired.keys() == table.keys() and all(
        type(marshal.loads(data)).__name__ == "code" for data in repaired.values()
    )


def test_the_modules_are_left_as_they_were_found(cache: Path) -> None:
    with stringcode.kept(), stringcode.kept():  # nested: only the outermost puts things back
        assert dataclasses.__dict__["exec"] is stringcode._exec
        assert typing.__dict__["compile"] is stringcode._compile
    assert "exec" not in dataclasses.__dict__ and "compile" not in typing.__dict__
    assert builtins.exec is exec and builtins.compile is compile
    with pytest.raises(ZeroDivisionError), stringcode.kept():
        1 / 0  # noqa: B018
    assert "exec" not in dataclasses.__dict__ and "compile" not in typing.__dict__


def test_no_cache_means_no_entry_and_the_same_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMLINT_NO_CACHE", "1")
    with stringcode.kept():
        made = _make_dataclass()
    assert _generated(made) == _generated(_make_dataclass())
    assert not (tmp_path / "cache").exists()


def test_a_fresh_start_keeps_the_code_of_its_imports_and_uses_it(tmp_path: Path) -> None:
    """A real start (the command's imports and the pipeline build): once the rule packs come from
    the disk cache too (the first run reads the YAML, the second the kept packs, along other
    paths), a start loads what earlier ones kept and compiles nothing of dataclasses' or typing's."""
    probe = (
        "import builtins, sys\n"
        "from claimlint import stringcode\n"
        "from claimlint.engine import Linter, Settings\n"
        "compiled = []\n"
        "real = builtins.compile\n"
        "def counting(source, *args, **kwargs):\n"
        "    caller = sys._getframe(1).f_globals.get('__name__')\n"
        "    if caller == 'claimlint.stringcode':\n"
        "        compiled.append(source)\n"
        "    return real(source, *args, **kwargs)\n"
        "builtins.compile = counting\n"
        "with stringcode.kept():\n"
        "    from claimlint import cli\n"
        "Linter(Settings()).warm()\n"
        "print(len(compiled))\n"
    )
    env = {"CLAIMLINT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
        for _ in range(3)
    ]
    first, _, third = (int(run.stdout.split()[-1]) for run in runs)
    assert first > 100  # spaCy's, pydantic's and claimlint's dataclasses and annotations (200 on Python 3.13)
    assert third == 0
