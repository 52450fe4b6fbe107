"""The app's two themes, registered on start and switched from the command palette.

Colours are picked for contrast in 256-colour terminals (macOS Terminal, tmux) as well as
true-colour ones; the status colours (success, warning, error) carry the sidebar and board
states, so they stay distinct in both themes.
"""

from __future__ import annotations

from textual.theme import Theme

DARK = "sesdmarc-dark"
LIGHT = "sesdmarc-light"

THEMES = (
    Theme(
        name=DARK,
        primary="#4E9BD9",
        secondary="#7A8FA6",
        accent="#E0A84B",
        warning="#E0A84B",
        error="#E0625B",
        success="#5DBB73",
        foreground="#E2E6EA",
        background="#15191E",
        surface="#1D232A",
        panel="#27303A",
        dark=True,
    ),
    Theme(
        name=LIGHT,
        primary="#1F62A8",
        secondary="#4F6377",
        accent="#A86400",
        warning="#A86400",
        error="#B3261E",
        success="#2E7D32",
        foreground="#1B1F24",
        background="#F7F8FA",
        surface="#FFFFFF",
        panel="#E4E8ED",
        dark=False,
    ),
)


def other_theme(name: str) -> str:
    """The theme to switch to from ``name`` (a built-in theme counts as dark)."""
    return DARK if name == LIGHT else LIGHT
