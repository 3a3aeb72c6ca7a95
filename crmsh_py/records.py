"""``@record``: plain data classes that cost next to nothing to define.

``@dataclass`` imports ``inspect`` (and ``ast``, ``dis``, ``tokenize`` behind it) and compiles three
or four functions per class while its module is being imported: about half a millisecond a class,
and a one-shot such as ``crm configure show`` defines dozens.  ``@record`` takes the same class
bodies (annotations, defaults, :func:`field` with ``default_factory``/``kw_only``/``repr``, a
``__post_init__``) and does only cheap work at definition time: equality, hashing and ``repr`` are
shared methods driven by the field names, the fields themselves are worked out when the class is
first used (not while its module is imported), and ``__init__`` interprets the fields for a class's
first few instances, then compiles a generated ``__init__`` for the rest.  A class that a command
never builds costs a class statement and a few attributes; one it builds a million times runs a
dataclass's ``__init__``.

Type checkers see it as a dataclass transform (PEP 681).  :func:`replace`, :func:`fields` and
:func:`asdict` stand in for their ``dataclasses`` namesakes.
"""

from __future__ import annotations

from _thread import RLock

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform, overload

    T = TypeVar("T")
else:
    # typing costs a one-shot milliseconds to import; this only informs type checkers
    def dataclass_transform(**_options: object) -> Callable[[Callable[..., object]], Callable[..., object]]:
        """Run time stand-in for ``typing.dataclass_transform``: changes nothing."""
        return lambda function: function

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class Field:
    """One field: its name, default (or factory), whether it is keyword-only and shown by repr."""

    __slots__ = ("name", "default", "default_factory", "kw_only", "repr")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING, kw_only: bool = False,
                 repr: bool = True) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.kw_only = kw_only
        self.repr = repr


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None, kw_only: bool = False,
          repr: bool = True) -> Any:
    """A field with a default factory, keyword-only or hidden from ``repr`` (as ``dataclasses.field``)."""
    return Field(default, _MISSING if default_factory is None else default_factory, kw_only, repr)


_CLASSVAR = ("ClassVar", "typing.ClassVar")


def _is_classvar(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(_CLASSVAR)


def _collect(cls: type, kw_only: bool) -> tuple[Field, ...]:
    """The fields of ``cls``: those of its record bases first, then its own annotations in order."""
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:-1]):  # object (last) holds no fields
        for inherited in _settled_fields(base):
            collected[inherited.name] = inherited
    namespace = cls.__dict__  # one mapping proxy, not one per field: every one-shot defines dozens
    for name, annotation in namespace.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = namespace.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name = name
        spec.kw_only = spec.kw_only or kw_only
        if isinstance(value, Field):
            if spec.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)  # as dataclasses do: the default stays a class attribute
        collected[name] = spec  # a redefined field keeps its place, as in dataclasses
    return tuple(collected.values())


def _init_source(cls: type, specs: tuple[Field, ...], frozen: bool) -> tuple[str, dict[str, Any]]:
    """The source of ``__init__`` for ``cls`` and the globals it needs."""
    names: dict[str, Any] = {"__MISSING": _MISSING, "__setattr": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for spec in specs:
        if spec.default_factory is not _MISSING:
            param = f"{spec.name}=__MISSING"
            if spec.default_factory in (list, dict):  # literals: no name a field could shadow
                made = "[]" if spec.default_factory is list else "{}"
            else:
                names[f"__factory_{spec.name}"] = spec.default_factory
                made = f"__factory_{spec.name}()"
            value = f"{made} if {spec.name} is __MISSING else {spec.name}"
        elif spec.default is not _MISSING:
            names[f"__default_{spec.name}"] = spec.default
            param, value = f"{spec.name}=__default_{spec.name}", spec.name
        else:
            param, value = spec.name, spec.name
        (keyword if spec.kw_only else positional).append(param)
        body.append(f"  __setattr(self, {spec.name!r}, {value})" if frozen else f"  self.{spec.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    return f"def __init__({params}):\n" + ("\n".join(body) or "  pass") + "\n", names


# Instances built by the generic __init__ before the class gets a compiled one.  Compiling costs
# 60-200 us a class and saves 1-3 us an instance: it pays off after some 60 instances, which a
# one-shot such as crm_simulate on a small CIB reaches for a few classes only.
_COMPILE_AFTER = 64


if TYPE_CHECKING:
    # positional names, every name in order, the set of names, plain defaults, factories
    InitPlan = tuple[tuple[str, ...], tuple[str, ...], frozenset[str], dict[str, Any], tuple[tuple[str, Any], ...]]


def _init_plan(cls: type) -> InitPlan:
    """What the interpreted ``__init__`` of ``cls`` needs, worked out once per class: the fields
    that may be given by position, all fields in order (and as a set), the plain defaults by name,
    and the default factories."""
    specs = cls.__record_fields__  # type: ignore[attr-defined]
    names = tuple([spec.name for spec in specs])
    return (tuple([spec.name for spec in specs if not spec.kw_only]), names, frozenset(names),
            {spec.name: spec.default for spec in specs
             if spec.default is not _MISSING and spec.default_factory is _MISSING},
            tuple([(spec.name, spec.default_factory) for spec in specs if spec.default_factory is not _MISSING]))


def _generic_init(cls: type, self: Any, args: tuple[Any, ...], kwargs: dict[str, Any], frozen: bool,
                  init_plan: InitPlan) -> None:
    """What the generated ``__init__`` does, interpreted: for the first few instances of a class
    (most classes of a one-shot build only a few), cheaper than compiling code for them.
    ``init_plan``: :func:`_init_plan` of ``cls``.  The values are gathered in one dictionary by
    C-level merges (no Python loop over the fields) and stored in the instance's ``__dict__`` at
    once, as the generated code's plain attribute stores would (records define no descriptors or
    ``__setattr__`` of their own for their fields; ``frozen`` ones only refuse later changes)."""
    positional, names, known, defaults, factories = init_plan
    if len(args) > len(positional):
        raise TypeError(f"{cls.__name__}.__init__() takes {len(positional) + 1} positional arguments "
                        f"but {len(args) + 1} were given")
    values = {**defaults, **dict(zip(positional, args))} if args else dict(defaults)
    if kwargs:
        if not known.issuperset(kwargs):
            unexpected = next(name for name in kwargs if name not in known)
            raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument {unexpected!r}")
        if args and not kwargs.keys().isdisjoint(positional[:len(args)]):
            twice = next(name for name in positional[:len(args)] if name in kwargs)
            raise TypeError(f"{cls.__name__}.__init__() got multiple values for argument {twice!r}")
        values.update(kwargs)
    for name, factory in factories:
        if name not in values:
            values[name] = factory()
    if len(values) != len(names):
        missing = next(name for name in names if name not in values)
        raise TypeError(f"{cls.__name__}.__init__() missing 1 required argument: {missing!r}")
    self.__dict__.update(values)
    if hasattr(cls, "__post_init__"):
        self.__post_init__()


def _install_lazy_init(cls: type, frozen: bool) -> None:
    """``cls.__init__`` interprets the fields for the first instances, then compiles the real
    ``__init__`` (as fast as a dataclass's) and gets out of the way."""
    built = 0
    plan: InitPlan | None = None  # worked out at the first instance

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal built, plan
        if type(self).__init__ is not __init__ or built < _COMPILE_AFTER:  # a subclass calling up: interpret
            built += 1
            if plan is None:
                plan = _init_plan(cls)
            _generic_init(cls, self, args, kwargs, frozen, plan)
            return
        source, names = _init_source(cls, cls.__record_fields__, frozen)  # type: ignore[attr-defined]
        exec(source, names)  # noqa: S102 -- our own generated code, as dataclasses does
        real = names["__init__"]
        real.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = real  # type: ignore[misc]
        real(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = __init__  # type: ignore[misc]


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self.__record_key__
    return key(self) == key(other)


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{spec.name}={getattr(self, spec.name)!r}" for spec in self.__record_fields__ if spec.repr)
    return f"{type(self).__qualname__}({shown})"


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _key_of(names: tuple[str, ...]) -> Callable[[Any], Any]:
    if not names:
        return lambda _record: ()
    from operator import attrgetter  # here: see _PendingKey

    getter = attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name gives the value, not a 1-tuple
        return lambda record: (getter(record),)
    return getter


# What is worked out from a record's fields: the class attributes a record carries besides its
# methods.  A one-shot defines a hundred records while importing and uses a few dozen of them, so
# these wait until one of them is first read (the first instance, an equality, a walker asking for
# the names): the class statement then costs only the few methods set on it.
_DEFERRED_NAMES = ("__record_fields__", "__record_names__", "__record_key__", "__match_args__")
# Working the fields out moves their defaults on the class (see _collect); two threads meeting the
# first use of one class must not both do it.  _thread's lock: threading is not imported for this.
_SETTLING = RLock()


class _Deferred:
    """Stands for one of :data:`_DEFERRED_NAMES` on the record class ``owner`` until it is first
    read; then all of them are worked out and set on ``owner``, replacing these stand-ins."""

    __slots__ = ("owner", "name", "kw_only")

    def __init__(self, owner: type, name: str, kw_only: bool) -> None:
        self.owner = owner
        self.name = name
        self.kw_only = kw_only

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        _settle(self.owner, self.kw_only)
        return getattr(self.owner if instance is None else instance, self.name)


def _settle(cls: type, kw_only: bool) -> None:
    """Work out the fields of the record class ``cls`` and set what follows from them on it."""
    with _SETTLING:
        if not isinstance(cls.__dict__.get("__record_fields__"), _Deferred):
            return  # another thread (or a base's settling) got here first
        specs = _collect(cls, kw_only)
        names = tuple([spec.name for spec in specs])
        cls.__record_fields__ = specs  # type: ignore[attr-defined]
        cls.__record_names__ = names  # type: ignore[attr-defined]  # for walkers: plain names, no lookups
        cls.__record_key__ = _PendingKey(cls, names)  # type: ignore[attr-defined]
        cls.__match_args__ = tuple([spec.name for spec in specs if not spec.kw_only])  # type: ignore[attr-defined,misc]


class _PendingKey:
    """Stands for ``__record_key__`` on a settled record class until an equality or a hash first
    needs it: the key is an ``operator.attrgetter``, and a run that only builds records (a
    ``crm_simulate``, say) then never imports ``operator``."""

    __slots__ = ("owner", "names")

    def __init__(self, owner: type, names: tuple[str, ...]) -> None:
        self.owner = owner
        self.names = names

    def __get__(self, instance: object, owner: type | None = None) -> Callable[[Any], Any]:
        key = _key_of(self.names)
        self.owner.__record_key__ = staticmethod(key)  # type: ignore[attr-defined]
        return key


def _settled_fields(base: type) -> tuple[Field, ...]:
    """The fields of the record class ``base`` (settling it first); none for any other class."""
    found = base.__dict__.get("__record_fields__", ())
    if isinstance(found, _Deferred):
        _settle(base, found.kw_only)
        found = base.__dict__["__record_fields__"]
    return found  # type: ignore[no-any-return]


def _process(cls: type[T], eq: bool, frozen: bool, kw_only: bool) -> type[T]:
    # Runs once per class while its module is imported: only the methods are set here; what
    # follows from the fields waits for its first use (_Deferred).
    namespace = cls.__dict__
    for name in _DEFERRED_NAMES:
        setattr(cls, name, _Deferred(cls, name, kw_only))
    if "__repr__" not in namespace:
        cls.__repr__ = _repr  # type: ignore[method-assign]
    if eq:
        if "__eq__" not in namespace:
            cls.__eq__ = _eq  # type: ignore[method-assign]
        if namespace.get("__hash__", None) is None:  # dataclasses' rule: mutable and comparable means unhashable
            cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
    if frozen:
        cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign]
        cls.__delattr__ = _frozen_delattr  # type: ignore[method-assign]
    _install_lazy_init(cls, frozen)
    return cls


if TYPE_CHECKING:  # the overloads inform type checkers only
    @overload
    def record(cls: type[T], /) -> type[T]: ...

    @overload
    def record(*, eq: bool = True, frozen: bool = False, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, eq: bool = True, frozen: bool = False,
           kw_only: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a record (``@record``, ``@record(frozen=True)``, ``@record(eq=False)``)."""
    if cls is None:
        return lambda klass: _process(klass, eq, frozen, kw_only)
    return _process(cls, eq, frozen, kw_only)


def is_record(obj: object) -> bool:
    """Whether ``obj`` is a record instance or class."""
    kind = type(obj)
    if kind is str or obj is None:  # the common case in model walks, answered without a failed lookup
        return False
    return hasattr(obj, "__record_fields__")


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record (instance or class), in order."""
    return obj.__record_fields__  # type: ignore[no-any-return]


def replace(obj: T, **changes: Any) -> T:
    """A new record like ``obj`` with some fields changed (runs ``__init__``, as ``dataclasses.replace``)."""
    specs = fields(obj)
    unknown = set(changes) - {spec.name for spec in specs}
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field(s) {', '.join(sorted(unknown))}")
    args = [changes.get(spec.name, getattr(obj, spec.name)) for spec in specs if not spec.kw_only]
    kwargs = {spec.name: changes.get(spec.name, getattr(obj, spec.name)) for spec in specs if spec.kw_only}
    return type(obj)(*args, **kwargs)


def asdict(obj: Any) -> Any:
    """Records, lists, tuples and dicts turned into plain dicts and lists, recursively (as
    ``dataclasses.asdict``)."""
    if is_record(obj) and not isinstance(obj, type):
        return {spec.name: asdict(getattr(obj, spec.name)) for spec in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return type(obj)(asdict(item) for item in obj)
    if isinstance(obj, dict):
        return {asdict(key): asdict(value) for key, value in obj.items()}
    return obj
