"""A seeded, bounded generator of crm shell inputs for differential testing against crmsh 4.4.1.

Each *variant* is a short sequence of ``crm`` invocations on crmsh's sample CIB (see
``compat_run.SAMPLE``): a configure session read on standard input that creates a few elements of
every kind the configure language has (with odd ids, quoting, comments, scores and rules), looks at
them (``show``, ``show xml``, ``show changed``), changes them (``rename``, ``delete``, ``modgroup``,
``filter``, ``edit`` through ``EDITOR``), checks them (``verify``, ``ptest``) and commits; then a few
one-shot commands (``resource param|meta|utilization``, ``node attribute|utilization``, ``configure
show``).  Some variants are malformed on purpose: the error text, the exit code and an unchanged CIB
are part of what is compared.

The same seed always gives the same variants; the number of variants, of elements in each and of
commands after them is bounded.  ``fuzz.py`` runs them through both shells and compares.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# crmsh's sample (compat_run.SAMPLE) already has these; variants refer to them and add their own.
SAMPLE_PRIMITIVES = ("p0", "p3")
SAMPLE_NODE = "node1"
MAX_ELEMENTS = 8  # elements a variant creates
MAX_AFTER = 4  # commands a variant runs on them


@dataclass(frozen=True)
class Invocation:
    """One ``crm`` run: its arguments, what it reads on standard input, extra environment."""

    args: tuple[str, ...]
    stdin: str = ""
    env: tuple[tuple[str, str], ...] = ()


@dataclass
class Variant:
    """A named sequence of invocations (run in order on one CIB)."""

    name: str
    invocations: list[Invocation] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)  # the features it exercises (for grouping)


class Ids:
    """Fresh ids for a variant: plain, dotted, dashed, underscored, mixed case."""

    STYLES = ("{p}{n}", "{p}-{n}", "{p}.{n}", "{p}_{n}", "{P}{n}x", "{p}{n}-a.b_c")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.n = 0

    def new(self, prefix: str) -> str:
        self.n += 1
        style = self.rng.choice(self.STYLES)
        return style.format(p=prefix, P=prefix.upper(), n=self.n)


SCORES = ("INFINITY", "inf", "-inf", "-INFINITY", "+100", "100", "0", "-50", "+INFINITY", "mandatory",
          "Mandatory", "Optional", "Serialize")
LOC_SCORES = ("INFINITY", "inf", "-inf", "+100", "100", "0", "-50", "+INFINITY")
VALUES = ("/tmp/x", "a b", "x=y", "", "1", "yes", "'quoted'", "with\"dq", "a,b", "#hash", "é", "0x1F",
          "-5", "9999999999")
PARAM_NAMES = ("state", "fake", "op_sleep", "passwd")
META = (("target-role", ("Stopped", "Started", "stopped", "Promoted", "Slave", "Master")),
        ("is-managed", ("false", "true", "no")), ("resource-stickiness", ("100", "INFINITY", "-1")),
        ("migration-threshold", ("3", "0")), ("priority", ("10",)), ("description", ("a b", "x")),
        ("failure-timeout", ("60s", "2m")), ("allow-migrate", ("true",)))
OPS = ("monitor", "start", "stop", "promote", "demote", "notify", "reload", "migrate_to")
INTERVALS = ("10", "10s", "0", "0s", "1m", "20s", "2min", "90", "1h", "PT10S")
ROLES = ("Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave")
EXPRS = ("#uname eq node1", "#uname ne node2", "pingd gt 0", "pingd lte 10", "defined pingd",
         "not_defined pingd", "cpu number:gt 4", "ver version:lt 1.2", "s string:eq abc",
         "#uname eq node1 or #uname eq node2", "a eq 1 and b eq 2", "date gt 2020-01-01",
         "date lt 2030-01-01T12:00:00", "date in start=2020-01-01 end=2021-01-01",
         "date in start=2020-01-01 years=1", "date date_spec hours=9-16 weekdays=1-5",
         "date date_spec years=2021", "date in_range start=2020-01-01 months=2",
         "#uname eq node1 and date date_spec weekdays=6-7", "attr eq param{x}")
COMMENTS = ("# a comment", "# ÄÖ ünïcode comment", "#no space", "# two\n# lines")


class Generator:
    """Builds variants from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # small pieces -------------------------------------------------------------------------------
    def pick(self, seq: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(seq)

    def value(self) -> str:
        raw = self.pick(VALUES)
        if raw == "" or " " in raw or "=" in raw or "#" in raw or "'" in raw:
            return '"' + raw.replace('"', '\\"') + '"'
        if '"' in raw:
            return "'" + raw + "'"
        return raw

    def nvpairs(self, names: tuple[str, ...], count: int) -> str:
        chosen = self.rng.sample(list(names), k=min(count, len(names)))
        return " ".join(f"{n}={self.value()}" for n in chosen)

    def meta(self, count: int) -> str:
        pairs = self.rng.sample(list(META), k=min(count, len(META)))
        parts = []
        for name, values in pairs:
            v = self.pick(values)
            parts.append(f'{name}="{v}"' if " " in v else f"{name}={v}")
        return " ".join(parts)

    def op(self) -> str:
        name = self.pick(OPS)
        parts = [f"op {name}", f"interval={self.pick(INTERVALS)}"]
        if self.rng.random() < 0.7:
            parts.append(f"timeout={self.pick(('20s', '20', '1m', '60s', '0'))}")
        if self.rng.random() < 0.2:
            parts.append(f"role={self.pick(ROLES)}")
        if self.rng.random() < 0.2:
            parts.append(f"on-fail={self.pick(('restart', 'block', 'stop', 'fence', 'ignore', 'standby', 'bogus'))}")
        if self.rng.random() < 0.15:
            parts.append("op_params OCF_CHECK_LEVEL=10")
        if self.rng.random() < 0.1:
            parts.append("op_meta requires=nothing")
        return " ".join(parts)

    def expr(self) -> str:
        return self.pick(EXPRS)

    def rule(self, scores: tuple[str, ...] = LOC_SCORES) -> str:
        head = "rule"
        if self.rng.random() < 0.2:
            head += f" $role={self.pick(('Started', 'Promoted', 'Master'))}"
        r = self.rng.random()
        if r < 0.6:
            head += f" {self.pick(scores)}:"
        elif r < 0.7:
            head += " pingd:"
        return f"{head} {self.expr()}"

    # elements -------------------------------------------------------------------------------
    def primitive(self, ids: Ids, agent: str | None = None) -> tuple[str, str]:
        rid = ids.new("d")
        agent = agent or self.pick(("ocf:heartbeat:Dummy", "ocf:pacemaker:Dummy", "Dummy",
                                    "ocf:pacemaker:Stateful", "ocf:heartbeat:Dummy"))
        parts = [f"primitive {rid} {agent}"]
        if self.rng.random() < 0.6:
            parts.append("params " + self.nvpairs(PARAM_NAMES, self.rng.randint(1, 2)))
        if self.rng.random() < 0.5:
            parts.append("meta " + self.meta(self.rng.randint(1, 2)))
        if self.rng.random() < 0.25:
            parts.append(f"utilization cpu={self.rng.randint(1, 4)} mem=100")
        for _ in range(self.rng.randint(0, 3)):
            parts.append(self.op())
        if self.rng.random() < 0.1:
            parts.insert(1, 'description="a desc"')
        return rid, self.join(parts)

    def join(self, parts: list[str]) -> str:
        """Parts on one line or continued with backslashes, as users write both."""
        if len(parts) > 2 and self.rng.random() < 0.4:
            return " \\\n\t".join(parts)
        return " ".join(parts)

    def element(self, ids: Ids, prims: list[str], tags: set[str]) -> str | None:
        """One element of a randomly chosen kind (None when its needs are not met)."""
        kind = self.pick(("primitive", "group", "clone", "ms", "bundle", "location", "location_rule",
                          "colocation", "order", "rsc_ticket", "property", "rsc_defaults", "op_defaults",
                          "tag", "alert", "acl", "fencing_topology", "node"))
        tags.add(kind)
        refs = list(SAMPLE_PRIMITIVES) + prims
        return getattr(self, f"el_{kind}")(ids, prims, refs)

    def el_primitive(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        rid, text = self.primitive(ids)
        prims.append(rid)
        return text

    def _fresh_children(self, ids: Ids, n: int) -> tuple[list[str], list[str]]:
        made = [self.primitive(ids, self.pick(("ocf:heartbeat:Dummy", "ocf:pacemaker:Stateful"))) for _ in range(n)]
        return [m[0] for m in made], [m[1] for m in made]

    def el_group(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        names, texts = self._fresh_children(ids, self.rng.randint(1, 3))
        gid = ids.new("g")
        meta = f" meta {self.meta(1)}" if self.rng.random() < 0.4 else ""
        return "\n".join(texts + [f"group {gid} {' '.join(names)}{meta}"])

    def el_clone(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        names, texts = self._fresh_children(ids, 1)
        cid = ids.new("cl")
        meta = self.pick(("", " meta clone-max=2", " meta interleave=true notify=true", " meta promotable=true",
                          " meta globally-unique=false clone-node-max=1"))
        return "\n".join(texts + [f"clone {cid} {names[0]}{meta}"])

    def el_ms(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        names, texts = self._fresh_children(ids, 1)
        cid = ids.new("ms")
        meta = self.pick(("", " meta promoted-max=1", " meta master-max=1 notify=true"))
        return "\n".join(texts + [f"ms {cid} {names[0]}{meta}"])

    def el_bundle(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        bid = ids.new("b")
        # crmsh 4.4.1 crashes (a traceback) on a bundle without a primitive and on an rkt one
        names, texts = self._fresh_children(ids, 1)
        parts = [f"bundle {bid}", f"{self.pick(('docker', 'docker', 'podman'))} image=img replicas=2"]
        if self.rng.random() < 0.6:
            parts.append("network ip-range-start=10.0.0.1 port-mapping id=" + bid + "-pm port=80")
        if self.rng.random() < 0.4:
            parts.append(f"storage storage-mapping id={bid}-sm source-dir=/srv target-dir=/srv options=rw")
        if self.rng.random() < 0.3:
            parts.append("meta target-role=Stopped")
        parts.append(f"primitive {names[0]}")
        return "\n".join(texts + [self.join(parts)])

    def el_location(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        lid = ids.new("loc")
        rsc = self.pick(refs)
        role = f" role={self.pick(ROLES)}" if self.rng.random() < 0.15 else ""
        node = self.pick((SAMPLE_NODE, "node2", "#uname"))
        if self.rng.random() < 0.2:
            rsc = "{ " + " ".join(self.rng.sample(refs, k=min(2, len(refs)))) + " }"
        if self.rng.random() < 0.1:
            rsc = "/p.3/"
        return f"location {lid} {rsc}{role} {self.pick(LOC_SCORES)}: {node}"

    def el_location_rule(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        lid = ids.new("loc")
        rules = [self.rule() for _ in range(self.rng.randint(1, 2))]
        return self.join([f"location {lid} {self.pick(refs)}", *rules])

    def _set(self, refs: list[str], kind: str) -> str:
        members = self.rng.sample(refs, k=min(self.rng.randint(2, 3), len(refs)))
        if kind == "order" and self.rng.random() < 0.3:
            members = [f"{m}:{self.pick(('start', 'stop', 'promote'))}" for m in members]
        if kind == "colocation" and self.rng.random() < 0.3:
            members = [f"{m}:{self.pick(('Started', 'Promoted', 'Master'))}" for m in members]
        r = self.rng.random()
        if r < 0.5:
            return " ".join(members)
        if r < 0.75:
            extra = " sequential=false" if self.rng.random() < 0.3 else ""
            return f"( {' '.join(members)}{extra} )"
        extra = " require-all=false" if self.rng.random() < 0.3 else ""
        return f"[ {' '.join(members)}{extra} ]"

    def el_colocation(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        cid = ids.new("col")
        tail = ""
        if self.rng.random() < 0.2:
            tail = f" node-attribute={self.pick(('rack', '#uname'))}"
        if self.rng.random() < 0.15:
            tail += " influence=false"
        score = self.pick(("inf", "INFINITY", "-inf", "+100", "100", "-INFINITY", "0"))
        return f"colocation {cid} {score}: {self._set(refs, 'colocation')}{tail}"

    def el_order(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        oid = ids.new("ord")
        score = self.pick(("inf", "INFINITY", "0", "Mandatory", "Optional", "Serialize", "mandatory", "100"))
        tail = self.pick(("", "", " symmetrical=false", " symmetrical=true", " kind=Optional"))
        return f"order {oid} {score}: {self._set(refs, 'order')}{tail}"

    def el_rsc_ticket(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        tid = ids.new("tk")
        members = " ".join(self.rng.sample(refs, k=min(2, len(refs))))
        tail = self.pick(("", " loss-policy=stop", " loss-policy=fence", " loss-policy=demote"))
        return f"rsc_ticket {tid} ticket{self.rng.randint(1, 3)}: {members}{tail}"

    def el_property(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        opts = ("maintenance-mode=false", "no-quorum-policy=ignore", "cluster-recheck-interval=5m",
                "node-health-strategy=none", "start-failure-is-fatal=false", "placement-strategy=balanced",
                "batch-limit=10", "my-own-prop=1")
        head = self.pick(("property", "property cib-bootstrap-options:", "property $id=cib-bootstrap-options",
                          "property extra-opts:"))
        if "extra" in head and self.rng.random() < 0.5:
            head += " " + self.rule(("100", "inf", "-inf"))
        chosen = " ".join(self.rng.sample(list(opts), k=self.rng.randint(1, 3)))
        return f"{head} {chosen}"

    def el_rsc_defaults(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        head = self.pick(("rsc_defaults", "rsc_defaults rsc-options:", "rsc_defaults rd-" + str(ids.n) + ":"))
        if head.endswith(":") and "rd-" in head and self.rng.random() < 0.5:
            head += " " + self.rule(("100", "inf"))
        return f"{head} {self.meta(self.rng.randint(1, 2))}"

    def el_op_defaults(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        head = self.pick(("op_defaults", "op_defaults op-options:", "op_defaults od-" + str(ids.n) + ":"))
        return f"{head} {self.pick(('timeout=30s', 'record-pending=true', 'timeout=2m interval=0'))}"

    def el_tag(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        tid = ids.new("tag")
        members = " ".join(self.rng.sample(refs, k=min(self.rng.randint(1, 3), len(refs))))
        sep = self.pick((":", ""))
        return f"tag {tid}{sep} {members}"

    def el_alert(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        aid = ids.new("al")
        parts = [f"alert {aid} {self.pick(('/usr/share/pacemaker/alerts/alert_file.sh.sample', '/bin/true'))}"]
        if self.rng.random() < 0.5:
            parts.append("attributes logfile=/tmp/alert.log")
        if self.rng.random() < 0.4:
            parts.append("meta timeout=10s")
        if self.rng.random() < 0.4:
            parts.append(self.pick(("select nodes fencing", "select attributes { standby shutdown }",
                                    "select resources")))
        if self.rng.random() < 0.6:
            parts.append("to " + self.pick(("/tmp/r.log", "{ /tmp/r.log meta timeout=5s }")))
        return self.join(parts)

    def el_acl(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        role = ids.new("role")
        rights = [self.pick((f"read ref:{self.pick(refs)}", "write xpath:\"//nodes\"", "deny tag:nodes",
                             "read type:primitive", f"write ref:{self.pick(refs)} attribute:target-role",
                             "read cib"))
                  for _ in range(self.rng.randint(1, 3))]
        user = ids.new("user")
        target = self.pick(("acl_target", "user"))
        return f"role {role} {' '.join(rights)}\n{target} {user} {role}"

    def el_fencing_topology(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        return self.pick(("fencing_topology st", f"fencing_topology {SAMPLE_NODE}: st",
                          "fencing_topology attr:rack=1 st", f"fencing_topology {SAMPLE_NODE}: st,st"))

    def el_node(self, ids: Ids, prims: list[str], refs: list[str]) -> str:
        name = ids.new("n")
        parts = [f"node {self.pick(('', '$id=1001 ', '$id=' + name + '-id '))}{name}"]
        if self.rng.random() < 0.3:
            parts[0] += ": " + self.pick(("member", "normal", "remote", "ping"))
        if self.rng.random() < 0.6:
            parts.append(f"attributes rack={self.rng.randint(1, 3)} standby={self.pick(('on', 'off', 'true'))}")
        if self.rng.random() < 0.4:
            parts.append(f"utilization cpu={self.rng.randint(1, 8)} memory=2048")
        if self.rng.random() < 0.1:
            parts.append('description="rack node"')
        return self.join(parts)

    # sessions ---------------------------------------------------------------------------------
    def after(self, prims: list[str], elements: list[str], ids: Ids) -> list[str]:
        """Commands run in the configure session on what the variant made."""
        ids_made = [e.split()[1] for e in elements if len(e.split()) > 1 and not e.startswith("#")]
        ids_made = [i.rstrip(":") for i in ids_made if not i.startswith("$") and i != "rsc-options:"]
        some = ids_made or ["p0"]
        cmds: list[str] = []
        for _ in range(self.rng.randint(1, MAX_AFTER)):
            what = self.pick(("show", "show_id", "show_xml", "show_changed", "rename", "delete", "modgroup",
                              "filter", "verify", "show_type", "rsc_template", "delete_missing"))
            target = self.pick(some)
            prim = self.pick(prims) if prims else "p3"
            cmds.append({
                "show": "show", "show_id": f"show {target}", "show_xml": f"show xml {target}",
                "show_changed": "show changed", "rename": f"rename {target} {target}-new",
                "delete": f"delete {target}", "modgroup": f"modgroup g-mod add {prim}",
                "filter": f"filter \"sed 's/Dummy/Dummy/'\" {target}", "verify": "verify",
                "show_type": f"show type:{self.pick(('primitive', 'group', 'location', 'order', 'node'))}",
                "rsc_template": "rsc_template tpl-1 ocf:heartbeat:Dummy params state=/tmp/t",
                "delete_missing": "delete no-such-thing",
            }[what])
        return cmds

    def session(self, index: int) -> Variant:
        """A configure session with a few elements and commands on them, then one-shots."""
        ids = Ids(self.rng)
        variant = Variant(f"v{index:03d}")
        prims: list[str] = []
        elements: list[str] = []
        for _ in range(self.rng.randint(1, MAX_ELEMENTS)):
            text = self.element(ids, prims, variant.tags)
            if text is None:
                continue
            if self.rng.random() < 0.15:
                text = self.pick(COMMENTS) + "\n" + text
            elements.append(text)
        cmds = self.after(prims, elements, ids)
        if any(c.startswith("modgroup") for c in cmds) and prims:
            elements.append(f"group g-mod {prims[0]}" if len(prims) > 1 else "group g-mod p0")
        lines = ["configure", *elements, *cmds, "show", "commit"]
        variant.invocations.append(Invocation(("-F",) if self.rng.random() < 0.2 else (), "\n".join(lines) + "\n"))
        variant.invocations.extend(self.one_shots(prims))
        return variant

    def one_shots(self, prims: list[str]) -> list[Invocation]:
        rsc = self.pick(prims) if prims else self.pick(SAMPLE_PRIMITIVES)
        pool = [
            ("resource", "param", rsc, "set", "state", "/tmp/s"),
            ("resource", "param", rsc, "show", "state"),
            ("resource", "param", rsc, "delete", "state"),
            ("resource", "meta", rsc, "set", "target-role", "Stopped"),
            ("resource", "meta", rsc, "show", "target-role"),
            ("resource", "meta", rsc, "delete", "is-managed"),
            ("resource", "utilization", rsc, "set", "cpu", "2"),
            ("resource", "utilization", rsc, "show", "cpu"),
            ("resource", "utilization", rsc, "delete", "cpu"),
            ("node", "attribute", SAMPLE_NODE, "set", "rack", "2"),
            ("node", "attribute", SAMPLE_NODE, "show", "rack"),
            ("node", "attribute", SAMPLE_NODE, "delete", "rack"),
            ("node", "utilization", SAMPLE_NODE, "set", "cpu", "8"),
            ("node", "utilization", SAMPLE_NODE, "show", "cpu"),
            ("configure", "show", rsc),
            ("configure", "show", "xml", rsc),
            ("configure", "show"),
            ("configure", "verify"),
        ]
        chosen = self.rng.sample(pool, k=self.rng.randint(1, 3))
        return [Invocation(c) for c in chosen]

    def malformed(self, index: int) -> Variant:
        """An input with one mistake among good lines: the error, exit code and unchanged CIB count."""
        ids = Ids(self.rng)
        variant = Variant(f"m{index:03d}", tags={"malformed"})
        prims: list[str] = []
        good = [self.el_primitive(ids, prims, list(SAMPLE_PRIMITIVES)) for _ in range(self.rng.randint(0, 2))]
        bad = self.pick((
            "primitive", "primitive 1bad ocf:heartbeat:Dummy", "primitive d-x ocf:heartbeat:NoSuchAgent",
            "primitive d-x ocf:heartbeat:Dummy params state=\"unterminated",
            "primitive d-x ocf:heartbeat:Dummy op monitor interval=abc",
            "primitive d-x ocf:heartbeat:Dummy op monitor",
            "primitive d-x ocf:heartbeat:Dummy meta", "primitive p0 ocf:heartbeat:Dummy",
            "primitive d-x ocf:heartbeat:Dummy params", "primitive d-x foo:bar:baz:qux",
            "group g-x", "group g-x c1", "group g-x nosuch", "clone cl-x", "clone cl-x nosuch",
            "ms ms-x p0 p3", "location l-x p0", "location l-x p0 foo: node1", "location l-x p0 100 node1",
            "location l-x p0 rule", "location l-x p0 rule inf: #uname", "location l-x p0 rule inf: a eq 1 or b eq 2 and c eq 3",
            "location l-x nosuch 100: node1", "colocation c-x inf: p0", "colocation c-x p0 p3",
            "colocation c-x inf: p0 nosuch", "order o-x inf: p0", "order o-x bogus: p0 p3",
            "order o-x inf: p0 p3 symmetrical=maybe", "rsc_ticket t-x p0", "property",
            "property no-such-prop", "rsc_defaults", "tag t-x", "alert a-x", "fencing_topology",
            "fencing_topology nosuch: st", "node", "role r-x", "role r-x read", "acl_target u-x nosuch-role",
            "nosuchcommand foo", "primitive d-x ocf:heartbeat:Dummy params state=1 state=2",
            "primitive d-x ocf:heartbeat:Dummy op start interval=0 op start interval=0",
            "location l-x p0 inf: node1 extra", "colocation c-x inf: ( p0 p3", "order o-x inf: [ p0 p3",
            "primitive d-x ocf:heartbeat:Dummy utilization", "location l-x p0 rule inf: date foo 2020",
            "location l-x p0 rule inf: date in start=bogus end=2021-01-01",
            "primitive d-x ocf:heartbeat:Dummy op monitor interval=10s timeout=-5",
            "delete", "rename p0", "rename p0 p3", "rename nosuch x", "modgroup nosuch add p0",
            "show nosuch", "show xml nosuch", "filter", "edit nosuch",
        ))
        lines = ["configure", *good, bad, "show", "commit"]
        variant.invocations.append(Invocation((), "\n".join(lines) + "\n"))
        if self.rng.random() < 0.5:
            variant.invocations.append(Invocation(("configure", *bad.split())))
        return variant

    def edit(self, index: int) -> Variant:
        """``edit`` through an editor that rewrites the file (sed), in a session."""
        ids = Ids(self.rng)
        variant = Variant(f"e{index:03d}", tags={"edit"})
        prims: list[str] = []
        elements = [self.el_primitive(ids, prims, list(SAMPLE_PRIMITIVES)) for _ in range(self.rng.randint(1, 2))]
        script = self.pick(("s/Dummy/Stateful/", "s/^primitive p0 /primitive p0x /", "/^order/d",
                            "s/op_defaults timeout=60s/op_defaults timeout=70s/", "$a\\\ntag t-ed p0",
                            "s/params/param/", "$a\\\nprimitive 9bad Dummy"))
        target = self.pick(["", *prims, "p0"])
        editor = ("EDITOR", f"sed -i -e '{script}'")
        lines = ["configure", *elements, f"edit {target}".strip(), "show", "commit"]
        variant.invocations.append(Invocation((), "\n".join(lines) + "\n", (editor,)))
        variant.invocations.append(Invocation(("configure", "show")))
        return variant


    # the constructs of crmsh's own regression cases (/work/shared/crmsh-testcases) that the
    # sessions above do not make: templates used by primitives, group surgery with modgroup,
    # filters that add, drop and comment elements, related:/tag: selections, renames back and
    # forth, erase, delete of members, default-timeouts
    def extra(self, index: int) -> Variant:
        """A session of the regression cases' kinds of command on a small group and its constraints."""
        ids = Ids(self.rng)
        variant = Variant(f"x{index:03d}", tags={"extra"})
        prims: list[str] = []
        elements = [self.el_primitive(ids, prims, list(SAMPLE_PRIMITIVES)) for _ in range(self.rng.randint(2, 3))]
        members = prims[:2]
        elements.append(f"group g1 {' '.join(members)}")
        if self.rng.random() < 0.5:
            elements.append("location loc-g1 g1 rule -inf: not_defined webserver or mem number:lte 0")
        if self.rng.random() < 0.5:
            elements.append("rsc_template tpl-x ocf:heartbeat:Dummy params state=/tmp/tpl op monitor interval=30s")
            elements.append(f"primitive dt-{index} @tpl-x params fake=2")
        if self.rng.random() < 0.4:
            elements.append(f"tag tg-{index} {' '.join(members)}")
        cmds = []
        for _ in range(self.rng.randint(1, MAX_AFTER)):
            third = prims[2] if len(prims) > 2 else "p3"
            cmds.append(self.pick((
                f"modgroup g1 add {third}", f"modgroup g1 add {third} before {members[-1]}",
                f"modgroup g1 add {third} after {members[0]}", f"modgroup g1 remove {members[0]}",
                "modgroup g1 add nosuch", "modgroup g1 remove nosuch", "modgroup g1 add c1", "modgroup g1 remove st",
                "filter \"sed 's/not_defined webserver/& rule -inf: not_defined a2/'\" loc-g1",
                "filter \"sed 's/^/# this is a comment\\n/'\" g1",
                f"filter \"sed 's/{members[0]}/{third}/'\" g1",
                "filter \"sed '$aprimitive p9 ocf:heartbeat:Dummy'\"",
                "filter \"sed 's/60s/2m/'\" op-options",
                "show related:g1", f"show related:{members[0]}", f"show tag:tg-{index}", "show type:rsc_template",
                f"rename {members[0]} {members[0]}x", f"rename {members[0]} {members[0]}x\nrename {members[0]}x {members[0]}",
                f"delete {members[-1]}", f"delete {members[0]} {members[-1]}", "delete g1", "erase",
                f"default-timeouts {members[0]}", "verify",
            )))
        lines = ["configure", *elements, *cmds, "show", "commit"]
        variant.invocations.append(Invocation(("-F",) if self.rng.random() < 0.2 else (), "\n".join(lines) + "\n"))
        variant.invocations.append(Invocation(("configure", "show")))
        return variant


def generate(seed: int, count: int, extra: int = 0) -> list[Variant]:
    """``count`` variants from ``seed``: mostly sessions, some malformed inputs and edits; then
    ``extra`` variants of the regression cases' kinds (their own random source: the first
    ``count`` are the same whatever ``extra`` is)."""
    gen = Generator(seed)
    out: list[Variant] = []
    for i in range(count):
        r = gen.rng.random()
        if r < 0.6:
            out.append(gen.session(i))
        elif r < 0.9:
            out.append(gen.malformed(i))
        else:
            out.append(gen.edit(i))
    more = Generator(seed * 7919 + 1)
    out.extend(more.extra(i) for i in range(extra))
    return out


if __name__ == "__main__":  # print a few, to look at
    import sys

    for v in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1, int(sys.argv[2]) if len(sys.argv) > 2 else 3):
        print(f"== {v.name} {sorted(v.tags)}")
        for inv in v.invocations:
            print("$ crm", " ".join(inv.args), dict(inv.env) or "")
            print(inv.stdin, end="")
