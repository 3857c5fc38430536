"""What an action returns: problems (located), messages for the clerk, and data for summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.problems import Problem


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # "中文 — English"
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def failed(problems: list[Problem], **data: Any) -> Outcome:
    return Outcome(problems=problems, data=dict(data))
