"""The cib level: shadow CIBs, stored as ``shadow.NAME`` files in the cluster directory.

A shadow is a private copy of the CIB (the files play the role of Pacemaker's ``CIB_shadow``
files).  ``use NAME`` points every later low-level command at it (``CIB_file``), so the same
commands that change the live cluster change the shadow instead, until ``commit`` copies its
configuration to the live CIB through ``cibadmin --replace``.  Creating, copying and deleting the
shadow files themselves is local file work, not a cluster change.
"""

from __future__ import annotations

import difflib
import os
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from collections.abc import Iterator
    from crmsh_py.session import Session

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def shadow_names(session: "Session") -> list[str]:
    """The shadow CIBs that exist, sorted."""
    try:
        files = os.listdir(session.cluster_dir)
    except OSError:
        return []
    return sorted(f[len("shadow."):] for f in files if f.startswith("shadow.") and not f.endswith(".tmp"))


def _checked_name(name: str) -> str:
    if not _NAME.match(name) or name == "live":
        raise CommandError(f"{name}: not a valid shadow name (letters, digits, _ . -; not 'live')")
    return name


def _existing(session: "Session", name: str) -> str:
    path = session.shadow_path(_checked_name(name))
    if not os.path.exists(path):
        raise CommandError(f"{name}: no such shadow CIB (see `cib list`)")
    return path


@contextmanager
def on_live(session: "Session") -> Iterator[None]:
    """Run commands against the live CIB whatever shadow is in use."""
    previous = session.shadow
    session.use_shadow(None)
    try:
        yield
    finally:
        session.use_shadow(previous)


def _live_text(session: "Session") -> str:
    with on_live(session):
        return session.check(Cmd("cibadmin").flag("-Q")).stdout


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def do_new(session: "Session", call: Call) -> None:
    """``new NAME [empty] [force]``: copy the live CIB (or an empty one) and switch to it."""
    name = _checked_name(call.value("name") or "")
    path = session.shadow_path(name)
    if os.path.exists(path) and not call.value("force") and not session.force:
        raise CommandError(f"shadow CIB {name} already exists (add `force` to overwrite it)")
    if call.value("empty"):
        from crmsh_py.cib import dump, empty_cib

        text = dump(empty_cib())
    else:
        text = _live_text(session)
    _write(path, text)
    session.use_shadow(name)
    session.info(f"{name} shadow CIB created")


def do_use(session: "Session", call: Call) -> None:
    """``use [NAME|live]``: work on a shadow, or back on the live CIB."""
    given = call.value("name")
    name = "live" if given is None else given
    if session.working is not None and session.working.dirty:
        raise CommandError("commit or drop the configure changes before switching CIBs")
    if name == "live":
        session.use_shadow(None)
        return
    _existing(session, name)
    session.use_shadow(name)


def do_list(session: "Session", call: Call) -> None:
    """The shadow CIBs (the one in use marked with ``*``)."""
    for name in shadow_names(session):
        session.write(f"{name}{' *' if name == session.shadow else ''}")


def _config_text(text: str, where: str) -> str:
    from crmsh_py.cib import load, xmlio
    from crmsh_py.lang import write_all

    section = load(text, where).find("configuration")
    return write_all(xmlio.configuration_from_xml(section).elements) if section is not None else ""


def do_diff(session: "Session", call: Call) -> None:
    """``diff [NAME]``: how a shadow's configuration differs from the live one (unified diff of crm text)."""
    given = call.value("name")
    name = session.shadow if given is None else given
    if name is None:
        raise CommandError("usage: diff NAME (no shadow CIB in use)")
    path = _existing(session, name)
    with open(path, encoding="utf-8") as handle:
        shadow = _config_text(handle.read(), path)
    live = _config_text(_live_text(session), "live")
    lines = difflib.unified_diff(live.splitlines(), shadow.splitlines(), "live", f"shadow:{name}", lineterm="")
    session.write("\n".join(lines))


def do_commit(session: "Session", call: Call) -> None:
    """``commit [NAME]``: replace the live configuration with the shadow's."""
    from crmsh_py.cib import dump, load

    given = call.value("name")
    name = session.shadow if given is None else given
    if name is None:
        raise CommandError("usage: commit NAME (no shadow CIB in use)")
    path = _existing(session, name)
    with open(path, encoding="utf-8") as handle:
        section = load(handle.read(), path).find("configuration")
    if section is None:
        raise CommandError(f"{path}: no configuration section")
    with on_live(session):
        session.check(Cmd("cibadmin").flag("--replace", "--scope", "configuration", "--xml-pipe"),
                      stdin=dump(section))
    session.info(f"committed shadow CIB {name} to the live cluster")


def do_reset(session: "Session", call: Call) -> None:
    """``reset NAME``: make the shadow a fresh copy of the live CIB."""
    _write(_existing(session, call.value("name") or ""), _live_text(session))


def do_delete(session: "Session", call: Call) -> None:
    """``delete NAME``: remove a shadow (not the one in use)."""
    name = call.value("name") or ""
    path = _existing(session, name)
    if name == session.shadow:
        raise CommandError(f"{name} is in use; `use live` first")
    os.remove(path)


def do_import(session: "Session", call: Call) -> None:
    """``import FILE [NAME]``: a CIB XML file becomes a shadow (named after the file by default)."""
    from crmsh_py.cib import dump, load

    source = call.value("file") or ""
    try:
        with open(source, encoding="utf-8") as handle:
            root = load(handle.read(), source)
    except OSError as error:
        raise CommandError(f"{source}: {error.strerror}") from None
    default = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.splitext(os.path.basename(source))[0])
    given = call.value("name")
    name = _checked_name(default if given is None else given)
    _write(session.shadow_path(name), dump(root))
    session.info(f"{source} imported as shadow CIB {name}")


SHADOW = Arg("name", "shadow")

LEVEL = Level(
    name="cib",
    help="Shadow CIBs: private copies of the CIB to try changes on.  `use NAME` makes every command "
         "work on the shadow (the prompt shows its name), `commit NAME` applies it to the cluster.",
    commands=[
        CommandSpec("new", "Create a shadow CIB from the live one (or empty) and use it",
                    usage="new NAME [empty] [force]", handler=do_new, parse_args=True,
                    args=(Arg("name"), Arg("empty", "keyword", choices=("empty",)),
                          Arg("force", "keyword", choices=("force",))),
                    examples=("new test", "new scratch empty")),
        CommandSpec("use", "Work on a shadow CIB, or on the live one", usage="use [NAME|live]", handler=do_use, parse_args=True,
                    args=(Arg("name", "shadow", optional=True),), examples=("use test", "use live")),
        CommandSpec("list", "List the shadow CIBs", usage="list", handler=do_list, parse_args=True,
                    examples=("list",)),
        CommandSpec("diff", "Show how a shadow's configuration differs from the live one",
                    usage="diff [NAME]", handler=do_diff, parse_args=True, args=(Arg("name", "shadow", optional=True),),
                    examples=("diff test",)),
        CommandSpec("commit", "Apply a shadow's configuration to the live cluster", usage="commit [NAME]",
                    handler=do_commit, args=(Arg("name", "shadow", optional=True),), parse_args=True, examples=("commit test",)),
        CommandSpec("reset", "Copy the live CIB into a shadow again", usage="reset NAME", handler=do_reset,
                    args=(SHADOW,), parse_args=True, examples=("reset test",)),
        CommandSpec("delete", "Delete a shadow CIB", usage="delete NAME", handler=do_delete, args=(SHADOW,), parse_args=True,
                    examples=("delete test",)),
        CommandSpec("import", "Make a CIB XML file a shadow CIB", usage="import FILE [NAME]", handler=do_import, parse_args=True,
                    args=(Arg("file", "file"), Arg("name", optional=True)), examples=("import /tmp/cib.xml test",)),
        CommandSpec("cibstatus", "A copy of the status section: inject node, ticket and operation changes",
                    usage="cibstatus [COMMAND ...]", level="cibstatus", examples=("cibstatus",)),
    ],
)
