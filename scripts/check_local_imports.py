"""Fails when a function imports an msap module: imports sit at the top of the module, so the
layers contract (pyproject.toml, docs/architecture.md) sees every dependency, and no import is
hidden in a function to dodge a cycle.

The one allow-list: `AppConfig.ready()` in an app's apps.py, where Django wants signal receivers
and models imported once the app registry is ready.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "msap"


def local_msap_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            for name in names:
                if name == "msap" or name.startswith("msap."):
                    yield inner.lineno, name


def main() -> int:
    found = [
        f"{path.relative_to(ROOT.parent)}:{line}: function-level import of {name}"
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for line, name in local_msap_imports(path)
    ]
    for line in found:
        print(line)
    if found:
        print("Move these imports to the top of their module (see docs/architecture.md).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
