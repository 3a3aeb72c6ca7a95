"""crmsh 4.4.1 compatibility scenarios for the levels other than configure.

Each scenario is a starting configuration (crm text, loaded into an empty CIB file) and a list of
one-shot ``crm`` command lines run one after another on that file.  ``record.py`` runs them through
crmsh 4.4.1 (``/usr/sbin/crm``) and stores its output and final configuration under ``golden/``;
``test_levels_compat.py`` runs them through our shell and compares.

``DIFFERS`` maps a command line to the reason our output differs from crmsh's on purpose; such a
command's output is not compared (its effect on the CIB still is, through the final CIB), and a
test of its own asserts what we do instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re


@dataclass(frozen=True)
class Scenario:
    """A starting configuration and the command lines run on it."""

    setup: str
    commands: tuple[str, ...]
    differs: dict[str, str] = field(default_factory=dict)


BASE = """node node1
node 2: node2 attributes rack=r1 description="x y"
property stonith-enabled=false
"""

_USAGE = "a usage error: ours shows the command's syntax, crmsh a Python-ish message"

_SEGV = ("Pacemaker 2.1.5's crm_resource --cleanup/--refresh RSC crashes on a CIB file (crmsh and we show "
         "its words, then 'Segmentation fault' as a shell does) where our bundled crm_resource does not "
         "(the .EXT lines are checked in tests/shell)")

SCENARIOS: dict[str, Scenario] = {
    "node": Scenario(
        setup=BASE + "primitive p5 Dummy\ngroup g0 p5\nprimitive p6 Dummy meta is-managed=false\n",
        commands=(
            "node show",
            "node show node1",
            "node list node2",
            "resource maintenance g0",
            "resource maintenance p5",
            "node maintenance node1",
            "-F node maintenance node1",
            "-R node ready node1",
            "-R node attribute node1 set a1 '1 2 3'",
            "-R node attribute node1 show a1",
            "-R node attribute node1 delete a1",
            "-R node utilization node2 set cpu 4",
            "-R node utilization node2 show cpu",
            "-R node utilization node2 delete cpu",
            "-R node server",
            "-F node maintenance node2",
            "node show",
            "-R -F node delete node2",
            "node show",
        ),
        differs={"-R -F node delete node2": "Pacemaker's crm_node -R failed under crmsh here (so it went on "
                                            "with cibadmin --delete-all) but succeeds when we run it on the "
                                            "same file; the resulting CIB is the same"}
    ),
    "trace": Scenario(
        setup=BASE + "primitive p0 Dummy op monitor interval=10s timeout=20s\nprimitive p1 Dummy\n"
                     "primitive p2 Dummy\ngroup g1 p2\n",
        commands=(
            "-R resource trace p0 probe",
            "resource trace p0 start",
            "resource trace p0 stop",
            "resource trace p0",
            "resource untrace p0 probe",
            "resource untrace p0 start",
            "resource trace p0 monitor 10 /tmp/traces",
            "resource untrace p0 stop",
            "resource untrace p0",
            "resource trace p1",
            "resource trace p1 monitor",
            "resource trace p1 monitor 20",
            "resource untrace p1 notify",
            "resource untrace p1 monitor 20",
            "resource trace g1",
            "resource trace nosuch",
            "resource trace p2 start 0",
            "resource untrace p2",
            "resource untrace p1 stop",
        ),
    ),
    "maintenance": Scenario(
        setup=BASE + "primitive p0 Dummy\nprimitive p3 Dummy\nprimitive p5 Dummy\nprimitive p7 Dummy\n"
                     "group g1 p5 p7\nclone c1 p3\n",
        commands=(
            "-R resource maintenance p0",
            "resource maintenance p0 off",
            "resource maintenance p3 on",
            "resource unmanage p5",
            "resource maintenance g1",
            "-F resource maintenance g1",
            "-F resource manage g1",
            "-F resource maintenance p5 on",
            "-F resource unmanage c1",
            "-F resource maintenance c1",
            "resource manage p0",
            "resource maintenance nosuch",
            "resource maintenance p0 maybe",
            "-F resource maintenance p7 true",
            "-F resource unmanage g1",
        ),
    ),
    "attributes": Scenario(
        setup=BASE + "primitive p0 Dummy params state=/tmp/p0.state\nprimitive p1 Dummy\n"
                     "location l1 p0 100: node1\n",
        commands=(
            "-R resource param p0 set a0 '1 2 3'",
            "-R resource param p0 show a0",
            "-R resource param p0 get state",
            "-R resource param p0 delete a0",
            "-R resource meta p0 set m0 123",
            "-R resource meta p0 show m0",
            "-R resource meta p0 delete m0",
            "-R resource utilization p1 set cpu 2",
            "-R resource utilization p1 show cpu",
            "-R resource utilization p1 delete cpu",
            "-R resource locate p0 p1",
            "-R resource constraints p0",
            "-R resource operations",
            "-R resource operations p0",
            "-R resource operations p0 node1",
            "resource param p0 frobnicate a0",
            "resource meta p0 set",
        ),
        differs={
            "-R resource param p0 get state": _USAGE,
            "resource param p0 frobnicate a0": _USAGE,
            "resource meta p0 set": _USAGE,
        },
    ),
    "options": Scenario(
        setup=BASE,
        commands=(
            "options show",
            "options show pager",
            "options show core.skill",
            "options pager cat",
            "options pager nosuchprogram",
            "options check-mode nosuchever",
            "options check-frequency never",
            "options skill-level joe",
            "options skill_level operator",
            "options output misplain",
            "options output plain",
            "options wait happy",
            "options wait off",
            "options manage-children sometimes",
            "options colorscheme normal,yellow,cyan,red,green,magenta",
            "options set core.nosuch 1",
            "options set core.manage_children always",
            "options set core.check_mode relaxed",
            "options user",
            "options show",
            "options reset",
            "-F options show",
            "-w options show",
        ),
        differs={"-w options show": "crmsh saved -F into the user's crm.conf on the way out of the "
                                    "previous one-shot (so force stays on); we never save flags"},
    ),
    "startstop": Scenario(
        setup=BASE + "primitive p0 Dummy\nprimitive p3 Dummy\nprimitive p5 Dummy meta target-role=Stopped\n"
                     "primitive p7 Dummy\ngroup g1 p5 p7\nclone c1 p3\n",
        commands=(
            "-R resource stop p0",
            "resource start p0",
            "resource start g1",
            "-F resource stop g1",
            "resource stop p3",
            "resource start c1",
            "resource stop nosuch",
            "resource start p0 nosuch",
            "resource stop p0 p7",
        ),
    ),
    "cleanup": Scenario(
        setup=BASE + "primitive p3 Dummy\n",
        commands=(
            "-R resource cleanup",
            "-R resource cleanup p3",
            "-R resource cleanup p3 node1",
            "-R resource cleanup force",
            "-R resource cleanup p3 force",
            "-R resource cleanup p3 node1 force",
            "-R resource refresh",
            "-R resource refresh p3",
            "-R resource refresh p3 node1 force",
            "-R resource reprobe p3",
        ),
        differs={**{line: _SEGV for line in (
            "-R resource cleanup", "-R resource cleanup p3", "-R resource cleanup p3 node1",
            "-R resource cleanup force", "-R resource cleanup p3 force", "-R resource cleanup p3 node1 force",
            "-R resource refresh p3", "-R resource refresh p3 node1 force")},
            "-R resource reprobe p3": _SEGV,
            "-R resource refresh": "our bundled crm_resource cleans a CIB file where Pacemaker's does a dry "
                                   "run (tests/lowlevel/test_crm_resource.py); same line and result here"},
    ),
    "maintenance-level": Scenario(
        setup=BASE + "primitive p0 Dummy\nprimitive p1 Dummy\ngroup g1 p1\n",
        commands=(
            "-R maintenance on",
            "-R maintenance off p0",
            "-R maintenance on p0",
            "maintenance off",
            "maintenance action p1 monitor",
            "maintenance action nosuch start",
            "maintenance action p0 bogus",
            "-R maintenance off",
            "maintenance on g1",
        ),
        differs={"maintenance action p0 bogus": "crmsh checks where the resource runs before the action's "
                                                "name; we say the action is unknown"},
    ),
}
# commands whose stdout crmsh prints in no fixed order (options come from a set): compared sorted
UNORDERED = ("options show",)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# lines that only show how crmsh reads the CIB or checks agents (we read it once, without crm_diff)
_NOISE = re.compile(
    r"^(\.EXT (pacemaker-controld|crmd) version"
    r"|\.EXT cibadmin -Ql$"
    r"|\.EXT crm_diff "
    r"|\.EXT crm_resource --list-ocf-"
    r"|\.EXT crm_resource --show-metadata"
    r"|\.EXT stonithd metadata"
    r"|.*\((unpack_config|cluster_status|unpack_resources)\)"
    r"|WARNING: crm_verify:"
    r"|path\.[a-z_]+ = "  # crmsh's system-wide /etc/crm/crm.conf settings (paths of this host)
    r")")
# crmsh names the level and command before a usage error ("ERROR: resource.untrace: ...")
_CONTEXT = re.compile(r"^ERROR: [a-z]+\.[a-z_-]+: ")


def normalise(text: str) -> list[str]:
    """Output lines as compared: colours removed, CIB-reading noise dropped, crmsh's context prefix
    removed from errors."""
    lines = []
    for line in _ANSI.sub("", text).splitlines():
        if _NOISE.match(line):
            continue
        lines.append(_CONTEXT.sub("ERROR: ", line))
    return lines
