"""crmsh's words for a configure command given the wrong number of arguments.

crmsh 4.4.1 checks a command's arguments against its handler's Python signature before running it
and says ``configure.rename: Expected (old_id new_id), takes exactly 2 arguments (1 given)`` (``at
least`` when the handler takes more, ``at most`` when the extra ones are optional).  The names are
its handlers' parameter names, kept here for the commands whose count is fixed or bounded; the
others take any number of words and check them themselves.
"""

from __future__ import annotations

from crmsh_py.errors import CommandError

# command -> (parameter names, how many are required, the name of the rest when it takes more)
SIGNATURES: dict[str, tuple[tuple[str, ...], int, str | None]] = {
    "filter": (("filterprog",), 1, "args"),
    "set": (("path", "value"), 2, None),
    "modgroup": (("group_id", "subcmd", "prim_id"), 3, "args"),
    "verify": ((), 0, None),
    "rename": (("old_id", "new_id"), 2, None),
    "erase": (("nodes",), 0, None),
    "refresh": ((), 0, None),
    "commit": (("arg0", "arg1"), 0, None),
    "upgrade": (("force",), 0, None),
    "schema": (("schema_st",), 0, None),
}


def arity_error(name: str, given: int) -> CommandError | None:
    """crmsh's error for configure command ``name`` given ``given`` arguments, or None when the
    count is one it takes (or the command is not one whose count it checks)."""
    signature = SIGNATURES.get(name)
    if signature is None:
        return None
    params, required, rest = signature
    named = [*params[:required], *(f"[{p}]" for p in params[required:]), *([f"[{rest} ...]"] if rest else [])]
    most = -1 if rest else len(params)
    if required == most and given != required:
        said = f"takes exactly {required} arguments"
    elif given < required:
        said = f"takes at least {required} arguments"
    elif 0 <= most < given:
        said = f"takes at most {most} arguments"
    else:
        return None
    return CommandError(f"configure.{name}: Expected ({' '.join(named)}), {said} ({given} given)")
