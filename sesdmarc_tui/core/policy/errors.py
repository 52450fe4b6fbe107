"""The error every policy-input check raises: what is wrong, and an example of right."""

from __future__ import annotations


class PolicyInputError(ValueError):
    """Input the operator typed or pasted is not usable.

    ``message`` says what is wrong, ``hint`` shows the fix (usually an example of a valid value),
    ``field`` names the input (``org_id``, ``ou_id``, ``identity_arn``...) so a form can put the
    message beside it.
    """

    def __init__(self, message: str, hint: str = "", *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class PolicyLimitError(PolicyInputError):
    """A documented SES limit would be exceeded (policy size, policies per identity)."""
