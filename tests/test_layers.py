"""The package's import directions (issue 12), read from the sources with ``ast`` (imports inside
functions included): ui -> report -> analysis -> engine; cli and exports -> report; nothing below the
ui imports Streamlit or the ui; a ui feature folder never imports another one, and no page body is
imported by anything but its thin ``st.Page`` script."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "prioritization"
UI = PACKAGE / "ui"
FEATURES = ("results", "workshop", "setup", "process", "committee")
SHARED_UI = ("shell", "widgets")

# Modules and packages that must not know about Streamlit or the ui (directories or single modules).
BELOW_THE_UI = ("report", "exports", "cli", "engine", "storage", "timeline", "imports", "i18n", "committee", "planning",
                "analysis.py",
                "model.py", "projectfile.py", "tiers.py", "safe_text.py", "text_rules.py", "errors.py", "qr.py",
                "anonymity.py")


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


@cache
def imports_of(path: Path, root: Path = ROOT) -> tuple[str, ...]:
    """Every module ``path`` imports (absolute names; ``from a import b`` gives ``a`` and ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.append(base)
            found += [f"{base}.{a.name}" for a in node.names if a.name != "*"]
    return tuple(found)


def sources(*where: str) -> list[Path]:
    out: list[Path] = []
    for w in where:
        target = PACKAGE / w
        if target.is_dir():
            out += sorted(target.rglob("*.py"))
        elif target.exists():
            out.append(target)
    return out


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_layers_exist():
    for folder in ("report", *(f"ui/{f}" for f in (*FEATURES, *SHARED_UI, "pages"))):
        assert (PACKAGE / folder).is_dir(), folder
    assert sources("report") and sources("engine") and sources("exports")


@pytest.mark.parametrize("where", BELOW_THE_UI)
def test_nothing_below_the_ui_imports_streamlit_or_the_ui(where):
    bad = [(rel(p), name) for p in sources(where) for name in imports_of(p)
           if is_under(name, "streamlit") or is_under(name, "prioritization.ui")]
    assert not bad, bad


def test_report_imports_neither_the_exports_nor_the_command_line():
    bad = [(rel(p), name) for p in sources("report") for name in imports_of(p)
           if is_under(name, "prioritization.exports") or is_under(name, "prioritization.cli")]
    assert not bad, bad


def test_analysis_and_the_engine_do_not_import_report():
    bad = [(rel(p), name) for p in sources("engine", "analysis.py", "model.py", "projectfile.py")
           for name in imports_of(p) if is_under(name, "prioritization.report")]
    assert not bad, bad


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_folder_never_imports_another(feature):
    others = [f"prioritization.ui.{f}" for f in FEATURES if f != feature]
    bad = [(rel(p), name) for p in sources(f"ui/{feature}") for name in imports_of(p)
           if any(is_under(name, o) for o in others)]
    assert not bad, bad


@pytest.mark.parametrize("shared", SHARED_UI)
def test_shell_and_widgets_import_no_feature_folder(shared):
    features = [f"prioritization.ui.{f}" for f in FEATURES]
    bad = [(rel(p), name) for p in sources(f"ui/{shared}") for name in imports_of(p)
           if any(is_under(name, f) for f in features)]
    assert not bad, bad


def page_scripts() -> list[Path]:
    return sorted(p for p in (UI / "pages").glob("*.py") if p.name != "__init__.py")


def test_page_scripts_are_thin():
    """A page script only imports a function from a page body and calls it."""
    assert page_scripts()
    for path in page_scripts():
        body = ast.parse(path.read_text(encoding="utf-8")).body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # a docstring
        imported = {a.asname or a.name for node in body if isinstance(node, ast.ImportFrom) for a in node.names}
        for node in body:
            if isinstance(node, ast.ImportFrom):
                assert node.module and is_under(node.module, "prioritization.ui") and not node.level, rel(path)
                continue
            assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call), (rel(path), ast.dump(node))
            call = node.value
            assert isinstance(call.func, ast.Name) and call.func.id in imported, rel(path)
            assert not call.args and not call.keywords, rel(path)


def page_bodies() -> dict[str, Path]:
    """The modules the page scripts call into, by name: the page bodies."""
    out = {}
    for path in page_scripts():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                out[node.module] = path
    return out


def test_every_page_body_lives_in_a_feature_folder_or_the_shell():
    for body in page_bodies():
        assert any(is_under(body, f"prioritization.ui.{f}") for f in (*FEATURES, "shell")), body


def test_no_module_imports_a_page_body():
    """Page bodies are called by their page script only: what two pages share lives in widgets/,
    report/ or beside the page in its feature folder, never in another page's body."""
    bodies = set(page_bodies())
    bad = []
    for path in sources("ui", "report", "exports", "cli"):
        if path.parent == UI / "pages":
            continue
        own = module_name(path)
        bad += [(rel(path), name) for name in imports_of(path)
                if any(name == b or name.startswith(b + ".") for b in bodies) and name != own]
    assert not bad, bad


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    assert "prioritization.report.theme" in imports_of(PACKAGE / "report" / "result_text.py")
    fake = tmp_path / "prioritization" / "report" / "x.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from prioritization.ui.shell import state\n    import streamlit as st\n"
                    "    from ..ui import widgets\n    from . import theme\n")
    names = imports_of(fake, tmp_path)
    assert {"prioritization.ui.shell.state", "streamlit", "prioritization.ui.widgets",
            "prioritization.report.theme"} <= set(names)
