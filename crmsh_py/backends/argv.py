"""Low-level command lines that remember which words came from the user (what a backend runs).

``-R`` prints every command the crm-1.0 way: the tool's own flags bare, every user-supplied value in
single quotes (``crm_resource -M -r 'dummy' --node='srv02' --force``).  The argv actually run has
no quotes (``--node=srv02``).  Building both from one object keeps them from drifting apart.
"""

from __future__ import annotations

from crmsh_py.records import field, record


def quote(value: str) -> str:
    """Single-quote ``value`` for display, escaping embedded single quotes shell-style."""
    return "'" + value.replace("'", "'\\''") + "'"


@record(frozen=True)
class _Part:
    """One argv word: ``flag`` is shown as is; ``value`` (user data) is quoted after ``flag``."""

    flag: str = ""
    value: str | None = None
    joined: bool = False  # True: ``--node=VALUE`` in one word; False: ``-r VALUE`` in two
    display: str | None = None  # how -R shows a positional value, when not single-quoted

    def words(self) -> list[str]:
        if self.value is None:
            return [self.flag]
        if self.joined:
            return [f"{self.flag}={self.value}"]
        return [self.flag, self.value] if self.flag else [self.value]

    def shown(self) -> str:
        if self.display is not None:
            return self.display
        if self.value is None:
            return self.flag
        if self.joined:
            return f"{self.flag}={quote(self.value)}"
        return f"{self.flag} {quote(self.value)}" if self.flag else quote(self.value)


@record
class Cmd:
    """A low-level command under construction: ``Cmd("crm_resource").flag("-M").opt("-r", rsc)``."""

    tool: str
    parts: list[_Part] = field(default_factory=list)

    def flag(self, *flags: str) -> "Cmd":
        """Add tool flags (never quoted)."""
        self.parts.extend(_Part(f) for f in flags)
        return self

    def opt(self, flag: str, value: str) -> "Cmd":
        """Add ``flag VALUE`` as two words; the value is user data."""
        self.parts.append(_Part(flag, value))
        return self

    def long(self, flag: str, value: str) -> "Cmd":
        """Add ``--flag=VALUE`` as one word; the value is user data."""
        self.parts.append(_Part(flag, value, joined=True))
        return self

    def arg(self, value: str) -> "Cmd":
        """Add a positional user value."""
        self.parts.append(_Part("", value))
        return self

    def opt_bare(self, flag: str, value: str) -> "Cmd":
        """Add ``flag VALUE`` that ``-R`` shows unquoted (crmsh builds some lines from bare words)."""
        self.parts.append(_Part(flag, value, display=f"{flag} {value}"))
        return self

    def arg_shown(self, value: str, display: str) -> "Cmd":
        """Add a positional user value that ``-R`` shows as ``display`` (crmsh shows some values
        bare or double-quoted; the argv is the same)."""
        self.parts.append(_Part("", value, display=display))
        return self

    def argv(self) -> list[str]:
        """The words to execute."""
        words = [self.tool]
        for part in self.parts:
            words.extend(part.words())
        return words

    def display(self) -> str:
        """The ``-R`` form: ``crm_resource -M -r 'dummy' --node='srv02' --force``; secret values
        (``passwd``, ``password``) are shown as ``*****``, as in the logs."""
        from crmsh_py.invocation import mask_secrets

        words = [self.tool]
        for part in self.parts:
            if part.display is not None:
                words.append(part.display)
            elif part.value is not None and part.flag and not part.joined:
                words.extend([part.flag, quote(part.value)])  # separate words: masking sees `-v VALUE`
            else:
                words.append(part.shown())
        return " ".join(mask_secrets(words))
