"""The layering rules of docs/architecture.md, checked over the source tree with ``ast``.

- The app order is read from docs/architecture.md (one line of the form ``a ← b ← c, d``): an
  app's models, services and selectors import only from apps to its left. Apps on one step
  (``c, d``) do not import each other's. Views, admin, commands, tasks and tests may combine apps.
- Nothing imports the ``importing`` app (only the project's URL configuration routes to it).
- No function of the summary parser is longer than ``PARSER_FUNCTION_MAX_LINES`` lines.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# The project package: its configuration may import every app; its shared pieces none.
PROJECT = "gsx_portal"
PROJECT_CONFIG_MODULES = {"settings", "urls", "celery", "wsgi", "asgi"}
# Modules bound by the order: these names, or names ending in _<name> (endorsement_selectors).
BOUND_KINDS = ("models", "services", "selectors")
NOBODY_IMPORTS = "importing"
PARSER = ROOT / "importing" / "parser"
PARSER_FUNCTION_MAX_LINES = 60
# The readers' layout stages and the text analysis of the suggestions: pure like the parser (no
# Django), and held to the same length.
LAYOUT_READERS = [
    ROOT / "importing" / name for name in ("pdf_glyphs.py", "pdf_layout.py", "word_layout.py", "suggest_entities.py")
]
ORDER_LINE_RE = re.compile(r"^\s+(\w+(?:\s*[←,]\s*\w+)+)\s*$", re.M)


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str

    @property
    def app(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.module}"


def documented_order() -> list[set[str]]:
    """The steps of the app order, left to right, as docs/architecture.md writes them."""
    found = ORDER_LINE_RE.findall(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(found) == 1, (
        f"docs/architecture.md must state the app order on exactly one indented line such as "
        f"'    {PROJECT} ← organizations ← events, other'; found {len(found)}: {found}"
    )
    return [{name.strip() for name in step.split(",")} for step in found[0].split("←")]


def local_apps() -> set[str]:
    """Every app of INSTALLED_APPS that lives in this repository, and the project package."""
    names = {PROJECT}
    for config in django_apps.get_app_configs():
        if Path(config.path).resolve().parent == ROOT:
            names.add(config.name)
    return names


def modules(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def is_bound(app: str, path: Path) -> bool:
    """Is this module one the cross-app order binds (models, services, selectors)?"""
    parts = path.relative_to(ROOT / app).with_suffix("").parts
    if "tests" in parts:
        return False
    if app == PROJECT:
        return parts[0] not in PROJECT_CONFIG_MODULES
    return any(part == kind or part.endswith(f"_{kind}") for part in parts for kind in BOUND_KINDS)


def imports(path: Path, apps: set[str]) -> Iterator[Import]:
    """Absolute imports of local apps, wherever they stand (top level, functions, TYPE_CHECKING)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in apps:
                yield Import(path, node.lineno, name)


def test_every_app_has_a_place_in_the_documented_order() -> None:
    steps = documented_order()
    documented = [name for step in steps for name in step]

    missing = sorted(local_apps() - set(documented))
    unknown = sorted(set(documented) - local_apps())
    twice = sorted({name for name in documented if documented.count(name) > 1})

    assert not missing, (
        f"{missing} not in the app order of docs/architecture.md. Add each where it belongs: right of "
        "every app its models, services and selectors import, left of every app that imports them."
    )
    assert not unknown, f"docs/architecture.md orders apps that do not exist: {unknown}"
    assert not twice, f"docs/architecture.md names these apps twice in the app order: {twice}"


def test_models_services_and_selectors_import_only_apps_to_their_left() -> None:
    steps = documented_order()
    step_of = {name: index for index, step in enumerate(steps) for name in step}
    apps = local_apps()

    violations = [
        f"{found} ({app} may import only {sorted(n for n, i in step_of.items() if i < step_of[app])})"
        for app in sorted(apps & step_of.keys())
        for path in modules(app)
        if is_bound(app, path)
        for found in imports(path, apps)
        if found.app != app and step_of.get(found.app, len(steps)) >= step_of[app]
    ]

    assert not violations, (
        "Models, services and selectors import only from apps to their left in docs/architecture.md's app "
        "order. Move the code to the app that owns it, hand work over with a signal (as events tells "
        "publications that a convening changed), or do it in a view, admin, command or task, which may "
        "combine apps:\n" + "\n".join(violations)
    )


def test_no_app_imports_the_importer() -> None:
    apps = local_apps()

    violations = [
        str(found)
        for app in sorted(apps - {NOBODY_IMPORTS})
        for path in modules(app)
        if not (app == PROJECT and path.stem in PROJECT_CONFIG_MODULES)
        for found in imports(path, apps)
        if found.app == NOBODY_IMPORTS
    ]

    assert not violations, (
        f"Nothing imports the {NOBODY_IMPORTS} app: it writes through the other apps' services, and they "
        "must not depend on it (tests included; conftest.py offers the imported seed convening):\n"
        + "\n".join(violations)
    )


def test_the_parser_has_no_function_longer_than_60_lines() -> None:
    too_long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} is {node.end_lineno - node.lineno + 1} lines"
        for path in [*sorted(PARSER.rglob("*.py")), *LAYOUT_READERS]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > PARSER_FUNCTION_MAX_LINES
    ]

    assert not too_long, (
        f"Functions of the parser stay within {PARSER_FUNCTION_MAX_LINES} lines (docstring and comments "
        "included): split them into named steps.\n" + "\n".join(too_long)
    )


def test_the_layout_readers_import_no_django() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in LAYOUT_READERS
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "django" for a in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "django")
    ]

    assert found == [], "The layout readers stay pure (no Django), as the parser does: " + ", ".join(found)


def test_the_order_checks_catch_a_violation(tmp_path: Path) -> None:
    # The checks themselves can fail: an upward import in a services module is found.
    source = tmp_path / "services.py"
    source.write_text("from tracking.models import Follow\n\ndef f():\n    import importing.parser\n")

    found = [(i.line, i.module) for i in imports(source, {"tracking", "importing"})]

    assert found == [(1, "tracking.models"), (4, "importing.parser")]


def test_the_api_stands_right_of_every_app_it_shows() -> None:
    # It reads through every app's selectors and FilterSets; nothing but the URL configuration
    # may depend on it.
    steps = documented_order()

    assert steps[-1] == {"api"}
