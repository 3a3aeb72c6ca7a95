"""The configure level's ``template`` level (crmsh's): configurations made from templates.

``new NAME TEMPLATE... [params P=V ...]`` writes a configuration file (in the user's config dir,
``crmsh_py/crmconf``) from one or more templates, to be filled in with ``edit``; ``show`` prints
the crm text it makes and ``apply [replace|update]`` loads that text into the configure level's
working copy (``replace``, crmsh's default, first erases all but the node entries), to be
committed as usual.  Templates are looked up in the user's ``crmsh_py/templates``, then the ones
shipped with crmsh_py, then crmsh's own (``/usr/share/crmsh/templates``) where crmsh is installed.
The template being worked on is the session's (``load``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import TYPE_CHECKING

from crmsh_py import paths
from crmsh_py.errors import CommandError
from crmsh_py.shell import template_files as tf
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

SHIPPED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "templates")
CRMSH_TEMPLATES = "/usr/share/crmsh/templates"


def template_dirs(session: "Session") -> list[str]:
    """Where templates are looked up, first match wins."""
    return [os.path.join(paths.user_dir(session.env, "config"), "templates"), SHIPPED, CRMSH_TEMPLATES]


def configs_dir(session: "Session") -> str:
    """Where configurations made from templates are kept."""
    return os.path.join(paths.user_dir(session.env, "config"), "crmconf")


def _config_path(session: "Session", name: str, must_exist: bool = True) -> str:
    path = os.path.join(configs_dir(session), tf.sane_name(name, "configuration"))
    if must_exist and not os.path.isfile(path):
        raise CommandError(f"{name}: no such config")
    return path


def _configs(session: "Session") -> list[str]:
    folder = configs_dir(session)
    return sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n))) \
        if os.path.isdir(folder) else []


def _chosen(session: "Session", args: list[str]) -> str:
    """The configuration named in ``args``, else the loaded one."""
    if args:
        _config_path(session, args[0])
        return args[0]
    loaded = session.template_config
    if not loaded:
        raise CommandError("please load a config first")
    return loaded


# ---------------------------------------------------------------------- commands


def do_new(session: "Session", call: Call) -> None:
    """``new [NAME] TEMPLATE [TEMPLATE ...] [params NAME=VALUE ...]``."""
    words = list(call.args)  # at least one (the spec's argument list says so)
    params_at = words.index("params") if "params" in words else len(words)
    names, assignments = words[:params_at], words[params_at + 1:]
    params: dict[str, str] = {}
    for assignment in assignments:
        key, eq, value = assignment.partition("=")
        if not eq or not key or "=" in value:
            raise CommandError(f"new: bad parameter {assignment!r} (NAME=VALUE)")
        params[key] = value
    dirs = template_dirs(session)
    config, templates = names[0], names[1:]
    if not templates:  # `new TEMPLATE`: the configuration is named after it (TEMPLATE-0, -1, ...)
        if tf.find_template(dirs, tf.sane_name(config, "template")) is None:
            raise CommandError("Expected template argument")
        templates = [config]
        taken = set(_configs(session))
        config = next((f"{templates[0]}-{n}" for n in range(99) if f"{templates[0]}-{n}" not in taken), "")
        if not config:
            raise CommandError(f"no free configuration name for template {templates[0]}")
    path = _config_path(session, config, must_exist=False)
    if os.path.exists(path):
        raise CommandError(f"config {config} exists; delete it first")
    builder = tf.Builder(dirs)
    for template in templates:
        if template in builder.prefixes:  # pulled in already as another's dependency
            continue
        known = len(builder.pulled)
        builder.pull(template)
        for name in builder.pulled[known:]:
            session.info(f"pulling in template {name}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(builder.text(config, {"id": config, **params}))
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    session.template_config = config


def do_load(session: "Session", call: Call) -> None:
    """``load [NAME]``: work on this configuration (none without a name)."""
    name = call.value("config")
    if name is not None:
        _config_path(session, name)
    session.template_config = name or ""


def do_edit(session: "Session", call: Call) -> None:
    """``edit [NAME]``: the configuration file in the editor."""
    if session.mode == "batch" or not session.terminal:
        raise CommandError("edit not allowed in batch mode")
    path = _config_path(session, _chosen(session, call.values_of("config")))
    editor = session.options.get("editor") or session.env.get("VISUAL") or session.env.get("EDITOR") or "vi"
    try:
        subprocess.run([*shlex.split(editor), path], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise CommandError(f"editor failed: {error}") from None


def _generated(session: "Session", name: str) -> str:
    path = _config_path(session, name)
    with open(path, encoding="utf-8", errors="replace") as handle:
        return tf.generate(handle.read(), name)


def do_show(session: "Session", call: Call) -> None:
    """``show [NAME]``: the crm configuration the configuration makes."""
    session.write(_generated(session, _chosen(session, call.values_of("config"))))


def do_apply(session: "Session", call: Call) -> None:
    """``apply [replace|update] [NAME]``: load what the configuration makes into the working copy."""
    method = call.value("method") or "replace"
    name = _chosen(session, call.values_of("config"))
    text = _generated(session, name)
    if not text.strip():
        raise CommandError(f"{name}: the configuration makes nothing")
    from crmsh_py.agents.catalog import ocf_provider
    from crmsh_py.lang import parse
    from crmsh_py.shell.levels.configure_ops import load_elements

    load_elements(session, parse(text, source=f"template {name}", providers=ocf_provider), method)


def do_delete(session: "Session", call: Call) -> None:
    """``delete NAME [force]``: remove a configuration (the loaded one only with force)."""
    name, force = call.value("config") or "", call.value("force")
    path = _config_path(session, name)
    if name == session.template_config and force is None and \
            not session.confirm(f"Do you really want to remove config {name} which is in use?"):
        return
    if name == session.template_config:
        session.template_config = ""
    os.remove(path)


def do_list(session: "Session", call: Call) -> None:
    """``list [templates|configs]``."""
    what = call.value("what")
    templates, configs = tf.template_names(template_dirs(session)), _configs(session)
    if what == "templates":
        session.write("\n".join(templates))
    elif what == "configs":
        session.write("\n".join(configs))
    else:
        session.write("\n".join(["Templates:", *templates, "", "Configurations:", *configs]))


_CONFIG = Arg("config", "word", optional=True)

LEVEL = Level(
    name="template",
    help="Configurations made from templates: `new` one from a template (virtual-ip, filesystem, "
         "apache, ...), fill it in with `edit`, see the crm text with `show`, `apply` it to the "
         "working copy, then `commit` at the configure level.",
    commands=[
        CommandSpec("new", "Make a configuration from templates\n\n`params NAME=VALUE` fills parameters in "
                    "(`id` is the configuration's name); the rest is filled in with `edit`.",
                    usage="new [<config>] <template> [<template> ...] [params name=value ...]", handler=do_new,
                    parse_args=True,
                    args=(Arg("word", repeat=True),),
                    examples=("new vip virtual-ip params ip=192.168.1.101", "new web apache virtual-ip")),
        CommandSpec("load", "Work on a configuration", usage="load [<config>]", handler=do_load, args=(_CONFIG,), parse_args=True,
                    examples=("load vip",)),
        CommandSpec("edit", "Fill in a configuration in the editor", usage="edit [<config>]", handler=do_edit,
                    args=(_CONFIG,), parse_args=True, examples=("edit vip",)),
        CommandSpec("show", "Show the crm configuration a configuration makes", usage="show [<config>]",
                    handler=do_show, args=(_CONFIG,), parse_args=True, examples=("show vip",)),
        CommandSpec("apply", "Load what a configuration makes into the working copy\n\n`replace` (the "
                    "default, as crmsh) first erases all but the node entries; `update` adds to it.",
                    usage="apply [<method>] [<config>]", handler=do_apply, parse_args=True,
                    args=(Arg("method", "choice", optional=True, choices=("replace", "update")), _CONFIG),
                    examples=("apply update vip",)),
        CommandSpec("delete", "Delete a configuration", usage="delete <config> [force]", handler=do_delete, parse_args=True,
                    args=(Arg("config"), Arg("force", "choice", optional=True, choices=("force", "--force"))),
                    examples=("delete vip",)),
        CommandSpec("list", "List the templates and the configurations", usage="list [configs|templates]",
                    handler=do_list, parse_args=True,
                    args=(Arg("what", "choice", optional=True, choices=("configs", "templates")),),
                    examples=("list templates",)),
    ],
)
