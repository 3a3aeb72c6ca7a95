"""Error types as data.

Library code raises these; only the shell and the renderers print them.  Each carries a short
machine-readable ``code`` and a human message.  A user never sees a traceback for bad input.
"""

from __future__ import annotations

from crmsh_py.records import field, record


class CrmError(Exception):
    """Base of every error a user may see.  ``str(err)`` is the full user-facing message."""

    code: str = "error"

    def __str__(self) -> str:  # pragma: no cover - overridden by dataclass subclasses
        return self.message()

    def message(self) -> str:
        """The user-facing text of this error (may span several lines)."""
        return super().__str__()


@record(eq=False)
class ParseError(CrmError):
    """A syntax error in configuration text.

    ``line`` and ``col`` are 1-based; ``context`` is the offending source line; ``expected``
    says in words what would have been valid there.
    """

    text: str
    line: int
    col: int
    context: str = ""
    expected: str = ""
    source: str = ""  # file name or "<stdin>", when known
    code: str = "syntax"

    def message(self) -> str:
        where = f"{self.source}:" if self.source else ""
        head = f"{where}{self.line}:{self.col}: syntax error: {self.text}"
        if self.expected:
            head += f" ({self.expected})"
        if not self.context:
            return head
        caret = " " * (self.col - 1) + "^"
        return f"{head}\n  {self.context}\n  {caret}"

    def __str__(self) -> str:
        return self.message()


@record(eq=False)
class ValidationError(CrmError):
    """A semantically invalid configuration (unknown reference, duplicate id, bad score, ...)."""

    text: str
    element_id: str = ""
    code: str = "invalid"

    def message(self) -> str:
        return f"{self.element_id}: {self.text}" if self.element_id else self.text

    def __str__(self) -> str:
        return self.message()


@record(eq=False)
class ValidationErrors(CrmError):
    """Several validation problems found at once."""

    errors: list[ValidationError] = field(default_factory=list)
    code: str = "invalid"

    def message(self) -> str:
        return "\n".join(e.message() for e in self.errors)

    def __str__(self) -> str:
        return self.message()


@record(eq=False)
class CommandError(CrmError):
    """A shell or low-level command failed (bad arguments, missing object, refused action)."""

    text: str
    code: str = "command"
    exit_code: int = 1
    shown: bool = False  # the user has seen why already (a crashed tool's own words): report nothing more

    def message(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.message()


@record(eq=False)
class CibFileError(CrmError):
    """A CIB or cluster file on disk cannot be read or is malformed."""

    path: str
    text: str
    hint: str = ""
    code: str = "cib-file"

    def message(self) -> str:
        msg = f"{self.path}: {self.text}"
        return f"{msg}\n  {self.hint}" if self.hint else msg

    def __str__(self) -> str:
        return self.message()
