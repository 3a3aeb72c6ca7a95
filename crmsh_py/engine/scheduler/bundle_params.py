"""The instance parameters Pacemaker 2.1 gives a bundle's implicit resources.

Pacemaker builds, for every replica ``i`` of a bundle ``B``, a container ``B-RUNTIME-i``, an address
``B-ip-A`` and a connection ``B-i`` with parameters of its own making, and records their operations'
digests like any other resource's.  A change of the bundle (more replicas, another image, a new
port or mount) changes these parameters, so the digests no longer match and the containers restart.
To plan as Pacemaker does, and so that what the bundled engine records matches what Pacemaker
expects, we build the very same parameters:

- container: ``image``, ``allow_pull=true``, ``force_kill=false``, ``reuse=false``, ``run_opts``,
  ``mount_points``, ``run_cmd`` (``/usr/sbin/pacemaker-remoted`` when there is a primitive inside,
  unless ``run-command`` says otherwise) and ``monitor_cmd=/bin/true``.  ``run_opts`` lists, in
  this order: ``--restart=no`` (docker only), the host name (with an address range), the
  ``PCMK_stderr`` and ``PCMK_remote_port`` environment, ``--net``, the mounts (storage mappings,
  then with a primitive the authentication key and a per-replica ``/var/log``), the ports (port
  mappings, then with a primitive the control port), the runtime's ``options``, and one host entry
  per replica of the whole bundle (which is why a change of ``replicas`` restarts every container);
- address: ``ip``, ``nic`` (``host-interface``), ``cidr_netmask`` (``host-netmask``, default 32);
- connection: ``addr`` (the replica's address, else ``#uname``: the container's host) and ``port``.
"""

from __future__ import annotations

from crmsh_py.cib.model import Bundle
from crmsh_py.records import field, record

REMOTE_PORT = "3121"
AUTHKEY = "/etc/pacemaker/authkey"
BUNDLE_LOG_DIR = "/var/log/pacemaker/bundles"
REMOTED = "/usr/sbin/pacemaker-remoted"
# runtime -> (host name option, environment option)
_SYNTAX = {"docker": ("-h ", "-e "), "podman": ("-h ", "-e "), "rkt": ("--hostname=", "--environment=")}


@record
class Mount:
    """A storage mapping; ``per_replica``: the source is a root with one directory per replica."""

    source: str
    target: str
    options: str | None
    per_replica: bool


@record
class BundleSpec:
    """What Pacemaker reads from a bundle's XML to build its replicas."""

    id: str
    runtime: str
    attrs: dict[str, str]
    network: dict[str, str] | None
    mounts: list[Mount] = field(default_factory=list)
    ports: list[tuple[str, str]] = field(default_factory=list)  # (source, target)
    has_child: bool = False
    replicas: int = 1


@record
class ReplicaParams:
    """The parameters of one replica's implicit resources (None: the replica has no such resource)."""

    container: dict[str, str]
    ip: dict[str, str] | None
    connection: dict[str, str] | None
    address: str | None


def _int_min(text: str | None, default: int, minimum: int) -> int:
    try:
        return max(int(text), minimum) if text is not None else default
    except ValueError:
        return default


def next_ip(address: str) -> str | None:
    """The next address after ``address`` as Pacemaker counts them (x.y.z.254 -> x.y.z+1.1)."""
    try:
        octets = [int(p) for p in address.split(".")]
    except ValueError:
        return None
    if len(octets) != 4 or octets[2] > 253:
        return None
    if octets[3] > 253:
        octets[2] += 1
        octets[3] = 1
    else:
        octets[3] += 1
    return ".".join(str(o) for o in octets)


def read_spec(bundle: Bundle, has_child: bool) -> BundleSpec | None:
    """The bundle's settings, or None without a runtime (Pacemaker then ignores the bundle)."""
    runtime: str | None = None
    attrs: dict[str, str] = {}
    network: dict[str, str] | None = None
    mounts: list[Mount] = []
    ports: list[tuple[str, str]] = []
    for part in bundle.parts:
        values = {p.name: p.value for p in part.attributes if p.value is not None}
        if part.kind in _SYNTAX and runtime is None:
            runtime, attrs = part.kind, values
        elif part.kind == "network" and network is None:
            network = values
        elif part.kind == "port-mapping":
            source = values.get("port")
            target = values.get("internal-port") if source is not None else None
            source = source if source is not None else values.get("range")
            if source:
                ports.append((source, target or source))
        elif part.kind == "storage-mapping":
            src, per_replica = values.get("source-dir"), False
            if src is None:
                src, per_replica = values.get("source-dir-root"), True
            if src and values.get("target-dir"):
                mounts.append(Mount(src, values["target-dir"], values.get("options"), per_replica))
    if runtime is None:
        return None
    net = network or {}
    # a primitive is only managed through an address range or a control port
    has_child = has_child and bool(net.get("ip-range-start") or net.get("control-port"))
    promoted = _int_min(attrs.get("promoted-max", attrs.get("masters")), 0, 0)
    replicas = promoted if attrs.get("replicas") is None and promoted > 0 else _int_min(attrs.get("replicas"), 1, 1)
    spec = BundleSpec(bundle.id, runtime, attrs, network, mounts, ports, has_child, replicas)
    if has_child:
        spec.mounts.append(Mount(AUTHKEY, AUTHKEY, None, False))
        if not any(m.target == "/var/log" for m in mounts):
            spec.mounts.append(Mount(BUNDLE_LOG_DIR, "/var/log", None, True))
        port = net.get("control-port") or REMOTE_PORT
        spec.ports.append((port, port))
    return spec


def _addresses(spec: BundleSpec) -> list[str | None]:
    start = (spec.network or {}).get("ip-range-start")
    out: list[str | None] = []
    for _ in range(spec.replicas):
        out.append(start)
        start = next_ip(start) if start else None
    return out


def _host_entries(spec: BundleSpec, addresses: list[str | None]) -> str:
    add_host = (spec.network or {}).get("add-host", "true").lower() not in ("false", "no", "off", "0", "n", "f")
    text = ""
    for i, address in enumerate(addresses):
        if address is None:
            break
        if spec.runtime != "rkt" and add_host:
            text += f" --add-host={spec.id}-{i}:{address}"
        else:
            text += f" --hosts-entry={address}={spec.id}-{i}"
    return text


def _mount_opts(spec: BundleSpec, i: int, dirs: list[str]) -> str:
    text = ""
    for volid, mount in enumerate(spec.mounts):
        source = f"{mount.source}/{spec.id}-{i}" if mount.per_replica else mount.source
        if mount.per_replica:
            dirs.append(source)
        if spec.runtime == "rkt":
            opts = f",{mount.options}" if mount.options is not None else ""
            text += (f" --volume vol{volid},kind=host,source={source}{opts}"
                     f" --mount volume=vol{volid},target={mount.target}")
        else:
            text += f" -v {source}:{mount.target}" + (f":{mount.options}" if mount.options is not None else "")
    return text


def _port_opts(spec: BundleSpec, address: str | None) -> str:
    text = ""
    for source, target in spec.ports:
        if spec.runtime == "rkt":
            text += f" --port={target}:{address}:{source}" if address else f" --port={target}:{source}"
        elif address:
            text += f" -p {address}:{source}:{target}"
        elif spec.attrs.get("network") != "host":  # no mapping with the host's own network
            text += f" -p {source}:{target}"
    return text


def _container(spec: BundleSpec, i: int, address: str | None, hosts: str) -> dict[str, str]:
    hostname_opt, env_opt = _SYNTAX[spec.runtime]
    net = spec.network or {}
    opts = " --restart=no" if spec.runtime == "docker" else ""
    if net.get("ip-range-start"):
        opts += f" {hostname_opt}{spec.id}-{i}"
    opts += f" {env_opt}PCMK_stderr=1"
    if spec.attrs.get("network") is not None:
        opts += f" --net={spec.attrs['network']}"
    opts += f" {env_opt}PCMK_remote_port={net.get('control-port') or REMOTE_PORT}"
    dirs: list[str] = []
    opts += _mount_opts(spec, i, dirs)
    opts += _port_opts(spec, address)
    if spec.attrs.get("options") is not None:
        opts += " " + spec.attrs["options"]
    opts += " " + hosts  # Pacemaker appends it with a space even when empty
    params = {"image": spec.attrs.get("image", ""), "allow_pull": "true", "force_kill": "false",
              "reuse": "false", "run_opts": opts, "mount_points": ",".join(dirs)}
    command = spec.attrs.get("run-command")
    if command is not None or spec.has_child:
        params["run_cmd"] = command if command is not None else REMOTED
    params["monitor_cmd"] = "/bin/true"
    return params


def replica_params(spec: BundleSpec) -> list[ReplicaParams]:
    """The implicit resources' parameters, replica by replica."""
    addresses = _addresses(spec)
    hosts = _host_entries(spec, addresses)
    net = spec.network or {}
    out = []
    for i, address in enumerate(addresses):
        ip = None
        if address is not None:
            ip = {"ip": address}
            if net.get("host-interface") is not None:
                ip["nic"] = net["host-interface"]
            ip["cidr_netmask"] = net.get("host-netmask", "32")
        conn = None
        if spec.has_child:
            conn = {"addr": address or "#uname", "port": net.get("control-port") or REMOTE_PORT}
        out.append(ReplicaParams(_container(spec, i, address, hosts), ip, conn, address))
    return out
