"""Issue 12: the command line's import directions, read from the source with ``ast``: ``main`` on
top (parser and dispatch), one module per command group below it, ``common`` below them all. No
command module imports ``main``, and ``common`` imports no command module."""

import ast
from pathlib import Path

import prioritization.cli

CLI = Path(prioritization.cli.__file__).parent
PACKAGE = "prioritization.cli"


def cli_imports(path: Path) -> set[str]:
    """The modules of prioritization.cli that ``path`` imports (``main``, ``common``, ...), at any depth."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .x import y
                base = PACKAGE if node.level == 1 else "prioritization"
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            # from prioritization.cli import main, and from prioritization.cli.main import build_parser
            names = [module] + [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith(PACKAGE + "."):
                found.add(name.removeprefix(PACKAGE + ".").split(".")[0])
    return found


def modules() -> dict[str, Path]:
    return {p.stem: p for p in sorted(CLI.glob("*.py"))}


def test_the_layout_is_as_described():
    assert {"__init__", "main", "common"} <= set(modules())
    assert len(set(modules()) - {"__init__", "main", "common"}) >= 1  # the command groups


def test_no_module_but_main_imports_main():
    offenders = {name: sorted(cli_imports(path)) for name, path in modules().items()
                 if name != "main" and "main" in cli_imports(path)}
    assert offenders == {}


def test_common_imports_no_command_module():
    assert cli_imports(modules()["common"]) <= {"common"}


def test_the_check_sees_every_form_of_import(tmp_path):
    for text in ("from prioritization.cli import main", "from prioritization.cli.main import build_parser",
                 "import prioritization.cli.main", "from . import main", "from .main import main",
                 "def f():\n    from prioritization.cli import export, main\n"):
        f = tmp_path / "m.py"
        f.write_text(text + "\n", encoding="utf-8")
        assert "main" in cli_imports(f), text
    f.write_text("from prioritization import analysis\nfrom prioritization.cli.common import table\n")
    assert cli_imports(f) == {"common"}
