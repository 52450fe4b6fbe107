"""questionary prompts with the line mode's conventions.

Every prompt is asked with ``unsafe_ask``: Ctrl-C raises ``KeyboardInterrupt`` and end of
input ``EOFError``, which ``plain.run`` turns into "stopped, here is how to resume" and
"no terminal, use apply". ``?`` asks for help: in a text prompt while nothing is typed yet, in
a menu at any time; the caller's ``on_help`` shows it and the question is asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import questionary
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings

from sesdmarc_tui.plain.look import prompt_style

Validate = Callable[[str], "bool | str"]
Options = Sequence[tuple[str, str, str]]
"""``(value, title, description)`` triples, in order (the description shows when pointed at)."""


class _Help:
    """What a prompt returns when ``?`` was pressed."""


HELP = _Help()


def _buffer_empty() -> bool:
    return not get_app().current_buffer.text


def _with_help(question: questionary.Question, *, text_prompt: bool) -> questionary.Question:
    bindings = KeyBindings()
    when = Condition(_buffer_empty) if text_prompt else Condition(lambda: True)

    @bindings.add("?", filter=when, eager=True)
    def _help(event: KeyPressEvent) -> None:
        event.app.exit(result=HELP)

    app = question.application
    # Added last, so it wins over the menu's type-to-filter binding for the same key.
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
    return question


class Prompter:
    """Asks; ``on_help`` is called for ``?`` and the same question is asked again."""

    def __init__(self, on_help: Callable[[], None]) -> None:
        self.on_help = on_help
        self.style = prompt_style()

    def _ask(self, build: Callable[[], questionary.Question], *, text_prompt: bool) -> Any:
        while True:
            answer = _with_help(build(), text_prompt=text_prompt).unsafe_ask()
            if answer is not HELP:
                return answer
            self.on_help()

    def text(self, message: str, default: str = "", validate: Validate | None = None) -> str:
        def build() -> questionary.Question:
            return questionary.text(message, default=default, validate=validate, style=self.style)

        return str(self._ask(build, text_prompt=True))

    def secret(self, message: str, validate: Validate | None = None) -> str:
        def build() -> questionary.Question:
            return questionary.password(message, validate=validate, style=self.style)

        return str(self._ask(build, text_prompt=True))

    def multiline(self, message: str) -> str:
        def build() -> questionary.Question:
            return questionary.text(
                message,
                multiline=True,
                style=self.style,
                instruction="(Esc then Enter to finish)",
            )

        return str(self._ask(build, text_prompt=True))

    def select(self, message: str, options: Options, default: str | None = None) -> str:
        choices = [
            questionary.Choice(title, value, description=about or None)
            for value, title, about in options
        ]
        chosen = default if default in {value for value, _, _ in options} else None

        def build() -> questionary.Question:
            return questionary.select(
                message,
                choices=choices,
                default=chosen,
                style=self.style,
                use_search_filter=True,
                use_jk_keys=False,
                instruction="(arrows or type to filter, Enter to choose, ? for help)",
            )

        return str(self._ask(build, text_prompt=False))

    def checkbox(self, message: str, options: Options, checked: Sequence[str]) -> list[str]:
        def build() -> questionary.Question:
            return questionary.checkbox(
                message,
                choices=[
                    questionary.Choice(title, value, checked=value in checked)
                    for value, title, _ in options
                ],
                style=self.style,
                instruction="(space to pick, Enter to finish, ? for help)",
            )

        return [str(v) for v in self._ask(build, text_prompt=False)]

    def confirm(self, message: str, default: bool = False) -> bool:
        question = questionary.confirm(message, default=default, style=self.style)
        return bool(question.unsafe_ask())
