"""``crm``: argv → one-shot, ``-f`` batch, piped-stdin batch, or the REPL.  No logic of its own.

Kept cheap to import: the REPL (prompt_toolkit), rich and the SSH backend load only when used.
"""

from __future__ import annotations

import sys

from crmsh_py import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

USAGE = """\
usage: crm [-R] [-f FILE] [-c SHADOW] [-F] [-w] [-d] [--stop-on-error] [-o KEY=VALUE] [--cluster DIR]
           [--backend bundled|pacemaker] [-H HOST] [--version] [--help] [WORD ...]

The crm cluster shell.  WORDs run one command (crm resource move dummy srv02) and exit;
-f FILE (or input piped to stdin) runs a batch, one command a line; otherwise an
interactive shell starts.

options:
  -R, --regression-tests  print every low-level command as `.EXT ...` before running it
  -f, --file FILE         run the commands in FILE (- for stdin)
  -c, --cib SHADOW        work on the shadow CIB SHADOW instead of the live one
  -F, --force             answer yes to every question
  -w, --wait              wait for the cluster to settle after each change
  --stop-on-error         -f/stdin: stop at the first failing command (default, as crmsh: carry
                          on, report each error, commit what is pending at the end, exit 1)
  -d, --debug             show internal errors in full
  -o, --opt KEY=VALUE     set an option for this run (see `crm options show`)
  --output FORMAT         text (default), json or yaml for status, configure show, resource
                          status/locate/scores, node show, ra info, history events/commands
  --cluster DIR           use the bundled cluster in DIR (default: $CRM_CLUSTER_DIR or the XDG state dir)
  --backend NAME          bundled or pacemaker (the real Pacemaker tools); default:
                          $CRM_BACKEND, else pacemaker when CIB_file is set or a Pacemaker
                          cluster runs (or is set up) here, else bundled
  -H, --host HOST         run the Pacemaker tools on HOST over SSH (implies --backend pacemaker)
  --version               print the version and exit
  -h, --help              print this help and exit
"""


class UsageError(Exception):
    """Bad command-line options."""


class Options:
    """The parsed command line.

    A plain class, not a dataclass: ``crm --version`` should not pay for importing dataclasses
    (and inspect behind it), a sixth of a bare interpreter's start-up time.
    """

    def __init__(self) -> None:
        self.regression = False
        self.file: str | None = None
        self.shadow: str | None = None
        self.force = False
        self.wait = False
        self.debug = False
        self.stop_on_error = False
        self.overrides: dict[str, str] = {}
        self.cluster: str | None = None
        self.backend = ""  # "": chosen automatically (see crmsh_py.backends.detect)
        self.host: str | None = None
        self.version = False
        self.help = False
        self.compgen: tuple[int, str] | None = None
        self.words: list[str] = []

    def __repr__(self) -> str:
        return f"Options({vars(self)!r})"


def _override(opts: Options, value: str) -> None:
    key, sep, val = value.partition("=")
    if not sep or not key:
        raise UsageError(f"-o wants KEY=VALUE, got {value!r}")
    opts.overrides[key] = val


# flag → setter (no value)
_FLAGS: dict[str, Callable[[Options], None]] = {
    "-R": lambda o: setattr(o, "regression", True),
    "--regression-tests": lambda o: setattr(o, "regression", True),
    "-F": lambda o: setattr(o, "force", True),
    "--force": lambda o: setattr(o, "force", True),
    "-w": lambda o: setattr(o, "wait", True),
    "--wait": lambda o: setattr(o, "wait", True),
    "-d": lambda o: setattr(o, "debug", True),
    "--debug": lambda o: setattr(o, "debug", True),
    "--stop-on-error": lambda o: setattr(o, "stop_on_error", True),
    "--version": lambda o: setattr(o, "version", True),
    "-h": lambda o: setattr(o, "help", True),
    "--help": lambda o: setattr(o, "help", True),
}
def _host(o: Options, v: str) -> None:
    o.host, o.backend = v, "pacemaker"


# option → setter (takes one value)
_VALUED: dict[str, Callable[[Options, str], None]] = {
    "-f": lambda o, v: setattr(o, "file", v),
    "--file": lambda o, v: setattr(o, "file", v),
    "-c": lambda o, v: setattr(o, "shadow", v),
    "--cib": lambda o, v: setattr(o, "shadow", v),
    "-o": _override,
    "--opt": _override,
    "--output": lambda o, v: _override(o, f"output={v}"),
    "--cluster": lambda o, v: setattr(o, "cluster", v),
    "--backend": lambda o, v: setattr(o, "backend", v),
    "-H": _host,
    "--host": _host,
}


def parse_args(argv: list[str]) -> Options:
    """Options up to the first word that is not an option; the rest are the command words."""
    opts = Options()
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--compgen":
            if i + 2 >= len(argv):
                raise UsageError("--compgen wants POINT LINE")
            try:
                opts.compgen = (int(argv[i + 1]), argv[i + 2])
            except ValueError:
                raise UsageError("--compgen wants a numeric POINT") from None
            i += 3
            continue
        if word == "--":
            opts.words = argv[i + 1:]
            break
        if not word.startswith("-") or word == "-":
            opts.words = argv[i:]
            break
        name, eq, inline = word.partition("=")
        if name in _VALUED and word.startswith("--") and eq:
            _VALUED[name](opts, inline)
        elif word in _FLAGS:
            _FLAGS[word](opts)
        elif word in _VALUED:
            if i + 1 >= len(argv):
                raise UsageError(f"{word} needs a value")
            _VALUED[word](opts, argv[i + 1])
            i += 1
        elif not word.startswith("--") and len(word) > 2 and all(f"-{c}" in _FLAGS for c in word[1:]):
            for c in word[1:]:  # bundled short flags: -RF
                _FLAGS[f"-{c}"](opts)
        else:
            raise UsageError(f"unknown option {word}")
        i += 1
    if opts.backend not in ("", "bundled", "pacemaker"):
        raise UsageError(f"--backend must be bundled or pacemaker, not {opts.backend}")
    return opts


def _pace_collector() -> None:
    """Collect less often during a one-shot: its imports and the CIB it reads are tens of thousands
    of objects that live until the process exits, so the default pace (a pass every 700
    allocations, with older generations behind) only walks them again and again, a few ms of CPU
    that find nothing.  Collections still happen, so memory stays bounded."""
    import gc  # built into the interpreter: free

    from crmsh_py.collector import ONESHOT_THRESHOLD

    first, second, third = gc.get_threshold()
    gc.set_threshold(max(first, ONESHOT_THRESHOLD), second, third)


def main(argv: list[str] | None = None) -> int:
    """The ``crm`` console script."""
    args = sys.argv[1:] if argv is None else argv
    for arg in args:
        if any("\ud800" <= char <= "\udfff" for char in arg):  # bytes that are not UTF-8
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            sys.stderr.write(f"crm: argument '{shown}' is not valid UTF-8 text\n")
            return 1
    try:
        opts = parse_args(args)
    except UsageError as error:
        sys.stderr.write(f"crm: {error}\n{USAGE.splitlines()[0]}\n")
        return 1
    if opts.version:
        sys.stdout.write(f"crmsh_py {__version__}\n")
        return 0
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    if opts.words:
        _pace_collector()
    from crmsh_py.shell.runner import run

    return run(opts, args)


def console() -> None:
    """The ``crm`` console script (and ``python -m crmsh_py.cli``): :func:`main`, then the
    process ends without the interpreter's teardown (``crmsh_py.process_exit``)."""
    rc = main()
    from crmsh_py.process_exit import finish

    finish(rc)


if __name__ == "__main__":  # pragma: no cover
    console()
