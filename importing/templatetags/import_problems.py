"""Problems of an import preview shown beside the items they are about (``Problem.item``)."""

from __future__ import annotations

from typing import Any

from django import template

from importing.parser import Problem

register = template.Library()


@register.filter
def beside(problems: list[tuple[Problem, str]], item: Any) -> list[Problem]:
    """The problems (the preview's translated ones) about ``item``: a parsed recommendation,
    paragraph or footnote, or an item key such as ``"next_step:2"``."""
    key = item if isinstance(item, str) else getattr(item, "problem_key", "")
    return [problem for problem, _excerpt in problems if key and problem.item == key]


@register.filter
def beside_theme(problems: list[tuple[Problem, str]], position: int) -> list[Problem]:
    """The problems about the key theme at ``position`` (1-based: the loop's counter)."""
    return beside(problems, f"key_theme:{position}")
