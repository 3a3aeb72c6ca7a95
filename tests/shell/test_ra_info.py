"""``ra info``'s layout is crmsh's: texts as the agent wrote them, defaults only when given,
operations with all their attributes but meta-data and validate-all."""

from __future__ import annotations

from crmsh_py.shell.levels.ra import render_info

META = """<resource-agent name="Thing">
<shortdesc>Thing</shortdesc>
<longdesc>Keeps a thing.
Second line as written.</longdesc>
<parameters>
<parameter name="path" required="1"><shortdesc>Path</shortdesc><longdesc>Where the
thing lives.</longdesc><content type="string"/></parameter>
<parameter name="level"><shortdesc>same</shortdesc><longdesc>same</longdesc>
<content type="integer" default="3"/></parameter>
<parameter name="empty"><shortdesc>Empty default</shortdesc><content type="string" default=""/></parameter>
</parameters>
<actions>
<action name="start" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s" depth="0" role="Promoted"/>
<action name="meta-data" timeout="5s"/>
<action name="validate-all" timeout="20s"/>
</actions>
</resource-agent>"""


def test_info_keeps_the_agent_texts_and_crmsh_rules() -> None:
    assert render_info("ocf:test:Thing", META) == (
        "ocf:test:Thing\n\n"  # a shortdesc that only repeats the type is left out
        "Keeps a thing.\nSecond line as written.\n\n"
        "Parameters (*: required, []: default):\n\n"
        "path* (string): Path\n    Where the\n    thing lives.\n\n"
        "level (integer, [3]): \n    same\n\n"
        "empty (string): Empty default\n\n"
        "Operations' defaults (advisory minimum):\n\n"
        "    start         timeout=20s\n"
        "    monitor       timeout=20s interval=10s depth=0 role=Promoted")
