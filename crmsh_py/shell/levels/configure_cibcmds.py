"""crmsh's configure commands about the CIB as a whole: ``ptest`` (the transition a commit would
cause), ``schema`` (the schema the CIB validates with), ``upgrade`` (to the newest schema) and
``get_property``."""

from __future__ import annotations

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.session import Session

PTEST_WORDS = ("nograph", "scores", "actions", "utilization")


def do_ptest(session: "Session", call: Call) -> None:
    """``ptest [nograph] [v...] [scores] [actions] [utilization]``: the transition the working copy
    would cause (our graphs are text: ``nograph`` is the only mode)."""
    from crmsh_py.shell.registry import get_level

    for word in call.args:
        if word not in PTEST_WORDS and not (word and set(word) == {"v"}):
            raise CommandError(f"ptest: unknown option {word!r} (nograph, v..., scores, actions, utilization)")
    simulate = get_level("configure").lookup("simulate")  # by name: configure imports this module
    assert simulate is not None and simulate.handler is not None
    simulate.handler(session, call)


def do_schema(session: "Session", call: Call) -> None:
    """``schema``: the schema the CIB validates with (``validate-with``)."""
    from crmsh_py.shell.levels.configure_state import working

    if call.args:
        raise CommandError("schema: changing the schema is done with `upgrade` (to the newest) "
                           "or `cibadmin --modify`")
    session.write(working(session).root.get("validate-with", ""))


def do_upgrade(session: "Session", call: Call) -> None:
    """``upgrade [force]``: the CIB to the newest schema (``cibadmin --upgrade``)."""
    session.quiet(Cmd("cibadmin").flag("--upgrade", "--force"))
    from crmsh_py.shell.levels.configure_state import take

    session.working = take(session)  # the schema changed under the working copy


def do_get_property(session: "Session", call: Call) -> None:
    """``get_property NAME``: a cluster property's value in the working copy."""
    from crmsh_py.cib.model import ClusterSet
    from crmsh_py.shell.levels.configure_state import working

    name = call.value("name")
    for element in working(session).elements:
        if isinstance(element, ClusterSet) and element.kind == "property":
            for nv in element.nvpairs:
                if nv.name == name:
                    session.write(nv.value or "")
                    return
    raise CommandError(f"property {name} is not set")


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("ptest", "Show the transition a commit would cause (crmsh's name for simulate)",
                usage="ptest [nograph] [v...] [scores] [actions] [utilization]", handler=do_ptest,
                args=(Arg("option", "choice", optional=True, repeat=True, choices=PTEST_WORDS),),
                examples=("ptest nograph",)),
    CommandSpec("schema", "Show the schema the CIB validates with", usage="schema", handler=do_schema,
                examples=("schema",)),
    CommandSpec("upgrade", "Upgrade the CIB to the newest schema (cibadmin --upgrade)", usage="upgrade [force]",
                handler=do_upgrade, parse_args=True, args=(Arg("force", "choice", optional=True, choices=("force",)),),
                examples=("upgrade force",)),
    CommandSpec("get_property", "Show a cluster property's value", usage="get_property NAME",
                handler=do_get_property, aliases=("get-property",), args=(Arg("name", "property"),), parse_args=True,
                examples=("get_property stonith-enabled",)),
)
