"""``crmsh_py.records``: the cheap stand-in for ``@dataclass`` behaves as dataclasses do where the
code base relies on it (constructors, defaults, equality, hashing, repr, frozen, replace, asdict)."""

from __future__ import annotations

import copy
import pickle

import pytest

from crmsh_py.cib.model import NVPair, Primitive
from crmsh_py.records import (
    _COMPILE_AFTER,
    FrozenInstanceError,
    asdict,
    field,
    fields,
    is_record,
    record,
    replace,
)


@record
class Point:
    """Two numbers and a list."""

    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)


@record(frozen=True)
class Key:
    """A hashable pair."""

    name: str
    number: int = 1


@record
class Base:
    """A base with a keyword-only field."""

    id: str
    notes: list[str] = field(default_factory=list, kw_only=True)


@record
class Child(Base):
    """Adds a field after the base's."""

    size: int = 3
    secret: str = field(default="", repr=False)


@record(eq=False)
class Counter:
    """Identity equality, and a __post_init__."""

    start: int
    doubled: int = 0

    def __post_init__(self) -> None:
        self.doubled = self.start * 2


def test_constructor_defaults_and_factories_are_per_instance() -> None:
    a, b = Point(1), Point(2, 5)
    a.tags.append("t")
    assert (a.x, a.y, a.tags) == (1, 0, ["t"])
    assert (b.x, b.y, b.tags) == (2, 5, [])
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


def test_equality_by_fields_and_class() -> None:
    assert Point(1, 2, ["a"]) == Point(1, 2, ["a"])
    assert Point(1, 2) != Point(1, 3)
    assert Base("a") != Child("a")  # a different class is never equal, as with dataclasses
    assert Counter(1) != Counter(1)


def test_mutable_records_are_unhashable_and_frozen_ones_hash_by_fields() -> None:
    with pytest.raises(TypeError):
        hash(Point(1))
    assert {Key("a"), Key("a"), Key("b")} == {Key("a"), Key("b")}
    with pytest.raises(FrozenInstanceError):
        Key("a").name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):  # FrozenInstanceError is an AttributeError, as in dataclasses
        del Key("a").number  # type: ignore[misc]


def test_inheritance_orders_fields_and_keeps_keyword_only_ones_last() -> None:
    child = Child("c", 7, notes=["n"])
    assert [f.name for f in fields(child)] == ["id", "notes", "size", "secret"]
    assert (child.id, child.size, child.notes) == ("c", 7, ["n"])
    with pytest.raises(TypeError):
        Child("c", 7, "s", ["n"])  # type: ignore[misc]


def test_repr_shows_fields_except_hidden_ones() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=[])"
    assert repr(Child("c", secret="s")) == "Child(id='c', notes=[], size=3)"


def test_post_init_runs_after_the_fields_are_set() -> None:
    assert Counter(4).doubled == 8


def test_replace_copies_with_changes_and_refuses_unknown_fields() -> None:
    key = Key("a", 2)
    assert replace(key, number=3) == Key("a", 3)
    assert key == Key("a", 2)
    assert replace(Child("c", notes=["n"]), size=9) == Child("c", 9, notes=["n"])
    with pytest.raises(TypeError, match="no field"):
        replace(key, colour="red")


def test_asdict_recurses_into_records_lists_and_dicts() -> None:
    value = {"p": [Point(1, tags=["x"])]}
    assert asdict(value) == {"p": [{"x": 1, "y": 0, "tags": ["x"]}]}
    assert asdict(Primitive("p", attr_sets=[]))["id"] == "p"


def test_copies_and_pickles_like_plain_objects() -> None:
    original = Primitive("p", comments=["# c"])
    assert copy.deepcopy(original) == original
    assert pickle.loads(pickle.dumps(Key("k"))) == Key("k")
    assert is_record(NVPair("a", "b")) and is_record(NVPair) and not is_record({"a": 1})


def test_the_compiled_init_behaves_as_the_interpreted_one() -> None:
    @record
    class Many(Base):
        """Built often enough to get a compiled __init__."""

        size: int = 3
        tags: list[str] = field(default_factory=list)

    count = _COMPILE_AFTER + 36  # the first ones interpreted, then compiled
    built = [Many(str(n), n, notes=[str(n)]) for n in range(count)]
    step = (count - 1) // 3
    assert [(m.id, m.size, m.notes, m.tags) for m in built[::step]] == [
        (str(n), n, [str(n)], []) for n in range(0, count, step)]
    assert "size" in Many.__init__.__code__.co_varnames  # the generated __init__ took over (named parameters)
    assert built[20].tags is not built[-1].tags
    for bad_args, bad_kwargs in (((), {}), (("a", 1, [], 9), {}), (("a",), {"colour": 1}), (("a",), {"id": "b"})):
        with pytest.raises(TypeError):
            Many(*bad_args, **bad_kwargs)


def test_fields_may_be_named_like_builtins() -> None:
    @record
    class Shadowing:
        """Field names that the generated __init__ must not confuse with the builtins."""

        set: set[str] = field(default_factory=set)
        list: list[int] = field(default_factory=list)
        dict: dict[str, int] = field(default_factory=dict)

    made = [Shadowing() for _ in range(_COMPILE_AFTER + 4)]  # past the interpreted instances: the compiled __init__ too
    assert made[-1].set == set() and made[-1].list == [] and made[-1].dict == {}
    assert made[-1].set is not made[-2].set


def test_the_interpreted_init_refuses_what_the_compiled_one_refuses() -> None:
    @record
    class Mixed(Base):
        """Positional fields, a keyword-only one inherited from Base, defaults and a factory."""

        size: int = 3
        tags: list[str] = field(default_factory=list)

    calls: list[tuple[tuple[object, ...], dict[str, object]]] = [
        (("a", 1), {}), (("a",), {"size": 2, "notes": ["n"]}), ((), {"id": "b", "tags": ["t"]}),  # fine
        ((), {}), (("a", 1, 2, [], 9), {}), (("a",), {"colour": 1}), (("a",), {"id": "b"}),  # refused
    ]

    def outcome(args: tuple[object, ...], kwargs: dict[str, object]) -> object:
        try:
            made = Mixed(*args, **kwargs)  # type: ignore[arg-type]
        except TypeError as error:
            return type(error)
        return asdict(made)

    interpreted = [outcome(args, kwargs) for args, kwargs in calls]  # the first instances: interpreted
    for n in range(_COMPILE_AFTER):
        Mixed(str(n))
    assert "size" in Mixed.__init__.__code__.co_varnames  # the generated __init__ took over
    assert [outcome(args, kwargs) for args, kwargs in calls] == interpreted
    assert interpreted[:3] == [{"id": "a", "notes": [], "size": 1, "tags": []},
                               {"id": "a", "notes": ["n"], "size": 2, "tags": []},
                               {"id": "b", "notes": [], "size": 3, "tags": ["t"]}]
    assert interpreted[3:] == [TypeError] * 4


def test_a_subclass_used_before_its_base_gets_the_base_fields_first() -> None:
    @record
    class Parent:
        """Never used before its subclass."""

        id: str
        tags: list[str] = field(default_factory=list, kw_only=True)
        size: int = field(default=4)

    @record
    class Kid(Parent):
        """Used first."""

        colour: str = "red"

    kid = Kid("k", 7, tags=["t"])
    assert [f.name for f in fields(Kid)] == ["id", "tags", "size", "colour"]
    assert (kid.id, kid.size, kid.colour, kid.tags) == ("k", 7, "red", ["t"])
    assert Parent("p") == Parent("p", 4) and Parent("p").tags == []
    assert Parent.size == 4  # a field(default=...) leaves its default on the class, as dataclasses do
    assert "tags" not in Parent.__dict__  # a factory field leaves nothing behind
    assert kid == Kid("k", 7, tags=["t"]) and kid != Kid("k", 7)


def test_records_work_with_match_statements_and_walkers_before_any_instance() -> None:
    @record
    class Pair:
        """Matched by position."""

        left: int
        right: int = 0
        note: str = field(default="", kw_only=True)

    assert Pair.__match_args__ == ("left", "right")
    assert Pair.__record_names__ == ("left", "right", "note")  # type: ignore[attr-defined]
    match Pair(1, 2):
        case Pair(a, b):
            assert (a, b) == (1, 2)
        case _:
            raise AssertionError("no match")


def test_threads_meeting_a_records_first_use_all_see_the_same_fields() -> None:
    import threading

    @record
    class Shared:
        """First used by several threads at once."""

        name: str
        items: list[int] = field(default_factory=list)
        count: int = field(default=1)

    made: list[object] = []
    start = threading.Barrier(8)

    def build() -> None:
        start.wait(timeout=10)
        made.append(Shared("s"))

    threads = [threading.Thread(target=build) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert made == [Shared("s", [], 1)] * 8
    assert [f.name for f in fields(Shared)] == ["name", "items", "count"]
