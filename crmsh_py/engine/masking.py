"""Masking secret values in what is logged and shown (``-R``): from meaning, not from text patterns.

A value is secret when the *name* it belongs to contains ``passwd`` or ``password``.  Which word is
a name and which a value is decided by parsing, never by searching the text:

- a low-level tool's argv is read with that tool's option roles (:data:`TOOL_ROLES`): the value of
  a *name* option (``crm_resource -p``, ``crm_attribute -n``) decides whether the values of the
  *value* options (``-v``, ``--update``...) are secret, in whichever order and form they come
  (``-p passwd``, ``-ppasswd``, ``--parameter=passwd``); *assignment* options carry
  ``name=value`` (``stonith_admin -o``); *XML* options (``--xml-text``) are parsed and the value of
  every ``<nvpair>`` with a secret name is masked, whatever the attribute order;
- ``crm`` words (and any other word) are read as the configure language reads them: a
  ``name=value`` word (the whole value, spaces included: the shell already split the line), and
  ``set NAME VALUE`` / ``set NAME=VALUE`` as in ``resource param RSC set passwd VALUE``.

Everything is one pass over the words: linear in the length of the command line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

MASK = "*****"
_SECRET = re.compile(r"pass(?:wd|word)", re.IGNORECASE)

NAME, VALUE, ASSIGN, XML = "name", "value", "assign", "xml"
#: per tool: option → what its argument is (options not listed do not matter for masking)
TOOL_ROLES: dict[str, dict[str, str]] = {
    "crm_resource": {"-p": NAME, "--parameter": NAME, "--set-parameter": NAME, "-g": NAME,
                     "--get-parameter": NAME, "-d": NAME, "--delete-parameter": NAME,
                     "-v": VALUE, "--parameter-value": VALUE},
    "crm_attribute": {"-n": NAME, "--name": NAME, "--attr-name": NAME,
                      "-v": VALUE, "--update": VALUE, "--attr-value": VALUE, "--value": VALUE},
    "attrd_updater": {"-n": NAME, "--name": NAME, "-U": VALUE, "--update": VALUE, "-B": VALUE,
                      "--update-both": VALUE},
    "cibadmin": {"-X": XML, "--xml-text": XML},
    "crm_verify": {"-X": XML, "--xml-text": XML},
    "crm_simulate": {"-X": XML, "--xml-text": XML},
    "stonith_admin": {"-o": ASSIGN, "--option": ASSIGN, "-e": ASSIGN, "--env-option": ASSIGN},
}
#: crm words after which a name (and then its value) follows
_SETTERS = frozenset({"set"})


def is_secret_name(name: str) -> bool:
    """True for names whose values must not be logged (``passwd``, ``password``, ``db_passwd``...)."""
    return bool(_SECRET.search(name))


def _unquote(word: str) -> str:
    """The word as the shell would read it (``'passwd'`` → ``passwd``, ``'it'\\''s'`` → ``it's``);
    unchanged when it is not one quoted word.  String methods only: linear, even for huge words."""
    if len(word) >= 2 and word[0] == word[-1] == "'":
        inner = word[1:-1].replace("'\\''", "\0")
        return word if "'" in inner else inner.replace("\0", "'")
    if len(word) >= 2 and word[0] == word[-1] == '"':
        return word[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return word


def mask_secrets(argv: Sequence[str]) -> list[str]:
    """A copy of ``argv`` (program name first) with secret values replaced by ``*****``."""
    if not argv:
        return []
    tool = argv[0].rsplit("/", 1)[-1]
    roles = TOOL_ROLES.get(tool)
    rest = _mask_tool(list(argv[1:]), roles) if roles is not None else _mask_words(list(argv[1:]))
    return [argv[0], *rest]


# -- low-level tools ---------------------------------------------------------------------------------
def _split_option(word: str, roles: dict[str, str]) -> tuple[str, str | None] | None:
    """``(option, attached value or None)`` when ``word`` is one of the role options, else None."""
    if word.startswith("--"):
        option, eq, value = word.partition("=")
        return (option, value if eq else None) if option in roles else None
    if word.startswith("-") and len(word) >= 2:
        option = word[:2]
        if option in roles:
            return option, (word[2:] if len(word) > 2 else None)
    return None


def _mask_tool(words: list[str], roles: dict[str, str]) -> list[str]:
    # first pass: where each role option's argument is, and whether a secret name was given
    found: list[tuple[int, str, bool, str]] = []  # (index of the word holding the value, role, attached, option)
    secret_name = False
    i = 0
    while i < len(words):
        split = _split_option(words[i], roles)
        if split is None:
            i += 1
            continue
        option, attached = split
        if attached is None and i + 1 < len(words):
            index, value, joined = i + 1, words[i + 1], False
            i += 2
        elif attached is not None:
            index, value, joined = i, attached, True
            i += 1
        else:
            i += 1
            continue
        role = roles[option]
        if role == NAME and is_secret_name(_unquote(value)):
            secret_name = True
        found.append((index, role, joined, option))
    out = _mask_words(words)  # names=values among the plain words, e.g. positional arguments
    for index, role, joined, option in found:
        word = words[index]
        value = word[len(option):].lstrip("=") if joined else word
        if role == VALUE and secret_name:
            masked = MASK
        elif role == ASSIGN:
            masked = _mask_assignment(value)
        elif role == XML:
            masked = mask_xml(_unquote(value))
        else:
            continue
        if joined:
            out[index] = word[:len(word) - len(value)] + masked
        else:
            out[index] = masked
    return out


# -- words (crm and anything else) -----------------------------------------------------------------
def _mask_assignment(word: str) -> str:
    """``passwd=x`` (or ``'passwd=x y'``) → ``passwd=*****``; other words unchanged."""
    plain = _unquote(word)
    name, eq, _ = plain.partition("=")
    if eq and is_secret_name(name):
        quote = word[0] if word[:1] in ("'", '"') and plain != word else ""
        return f"{quote}{name}={MASK}{quote}"
    return word


def _mask_words(words: list[str]) -> list[str]:
    out: list[str] = []
    mask_next = False
    after_setter = False
    for word in words:
        if mask_next:
            out.append(MASK)
            mask_next = after_setter = False
            continue
        plain = _unquote(word)
        if plain.startswith("<"):
            out.append(mask_xml(plain) if plain != word else mask_xml(word))
            after_setter = False
            continue
        masked = _mask_assignment(word)
        if after_setter and masked == word and "=" not in plain and is_secret_name(plain):
            mask_next = True  # `set passwd VALUE`
        after_setter = plain in _SETTERS
        out.append(masked)
    return out


# -- XML ---------------------------------------------------------------------------------------------
def mask_xml(text: str) -> str:
    """XML with the value of every ``<nvpair>`` whose name is secret masked (any attribute order),
    and any attribute whose own name is secret.  Unparsable text that mentions a password is
    masked whole (it cannot be told apart)."""
    if not _SECRET.search(text):
        return text
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return MASK
    changed = False
    for element in root.iter():
        if element.tag == "nvpair" and is_secret_name(element.get("name", "")) and "value" in element.attrib:
            element.set("value", MASK)
            changed = True
        for attr in list(element.attrib):
            if is_secret_name(attr):
                element.set(attr, MASK)
                changed = True
    return ET.tostring(root, encoding="unicode") if changed else text
