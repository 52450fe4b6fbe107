"""Config problems: which file, which key, what is wrong, and an example of a right value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    key: str
    message: str
    example: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}: " if self.key else f"{self.file}: "
        right = f" Example: {self.example}" if self.example else ""
        return f"{where}{self.message}{right}"

    def to_json(self) -> dict[str, str]:
        return {
            "file": self.file,
            "key": self.key,
            "message": self.message,
            "example": self.example,
        }


class ConfigError(Exception):
    """One or more problems; the message lists them all, one per line."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
