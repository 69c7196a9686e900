"""The README keeps its two commands on top and names every variable the portal reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ_BY = ["gsx_portal/settings.py", "gunicorn.conf.py", "Procfile", "Makefile"]
# Read but not for operators: pytest's own marker, and the test-only services switch.
NOT_OPERATOR = {"PYTEST_VERSION", "GSX_REQUIRE_SERVICES", "DJANGO_SETTINGS_MODULE"}


def test_readme_starts_with_the_two_commands_and_points_to_the_deployment_guide() -> None:
    readme = (ROOT / "README.md").read_text()

    first_block = readme.split("```")[1]
    assert first_block.split()[0:2] == ["make", "run"]
    assert "make test" in first_block
    assert "## Production" in readme
    assert "docs/deploy.md" in readme.split("## Production")[1]
    assert (ROOT / "docs" / "deploy.md").is_file()


def test_readme_table_names_every_environment_variable() -> None:
    names: set[str] = set()
    for name in READ_BY:
        text = (ROOT / name).read_text()
        names |= set(
            re.findall(r"""(?:environ\.get|environ\[|env_bool|env_list|getenv)\(?\s*["']([A-Z][A-Z0-9_]+)["']""", text)
        )
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)(?::-[^}]*)?\}", text))
    table = "\n".join(line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("|"))

    missing = sorted(name for name in names - NOT_OPERATOR if f"`{name}`" not in table)

    assert len(names) > 20
    assert missing == []


def test_each_web_process_freezes_what_loading_made_out_of_the_collectors_reach() -> None:
    import gc
    import runpy

    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        hooks["post_worker_init"](object())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
