"""Record classes behave as the dataclasses they replace: each check builds the same class both
ways and compares what they do."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from verifier.records import FrozenInstanceError, field, fields, record, replace


def both(frozen: bool = False, slots: bool = False):
    """The same class body made a dataclass and a record."""

    def body(make, make_field):
        @make(frozen=frozen, slots=slots)
        class Item:
            """An item."""

            name: str
            line: int = 0
            tags: list = make_field(default_factory=list)
            data: dict = make_field(default_factory=dict, compare=False, hash=False)
            note: str = make_field(default="", repr=False)

        return Item

    return body(dataclasses.dataclass, dataclasses.field), body(record, field)


@pytest.mark.parametrize("frozen, slots", [(False, False), (True, False), (True, True), (False, True)])
def test_construction_repr_and_equality_match_dataclasses(frozen, slots):
    reference, made = both(frozen, slots)
    for args, kwargs in [
        (("a",), {}),
        (("a", 3), {"tags": ["x"]}),
        ((), {"name": "b", "data": {"k": 1}, "note": "n"}),
    ]:
        expected, got = reference(*args, **kwargs), made(*args, **kwargs)
        assert repr(got) == repr(expected)
        assert [getattr(got, f.name) for f in fields(got)] == [
            getattr(expected, f.name) for f in dataclasses.fields(expected)
        ]
    assert made("a", data={"x": 1}) == made("a", data={"y": 2})  # data is not compared
    assert made("a") != made("a", 1)
    assert made("a").tags is not made("a").tags  # a fresh list each time
    assert (made("a") == reference("a")) is False  # another class is never equal
    with pytest.raises(TypeError):
        made()
    nan = float("nan")
    assert (made("a", nan) == made("a", nan)) == (reference("a", nan) == reference("a", nan))


def test_frozen_records_refuse_changes_and_hash_by_their_compared_fields():
    reference, made = both(frozen=True)
    item = made("a", 2, ["t"].copy(), {"k": 1})
    with pytest.raises(FrozenInstanceError):
        item.name = "b"
    with pytest.raises(FrozenInstanceError):
        del item.line
    assert isinstance(FrozenInstanceError("x"), AttributeError)
    hashable = made("a", 2, (), {"k": 1})  # a tuple for tags, so the whole record hashes
    assert hash(hashable) == hash(made("a", 2, (), {"other": 2}))
    assert hash(hashable) == hash(reference("a", 2, (), {"k": 1}))


def test_plain_records_can_change_and_are_unhashable_like_dataclasses():
    reference, made = both()
    item = made("a")
    item.line = 5
    assert item.line == 5
    assert made.__hash__ is None and reference.__hash__ is None


def test_slotted_records_have_no_instance_dict():
    _, made = both(frozen=True, slots=True)
    item = made("a")
    assert not hasattr(item, "__dict__")
    assert made.__slots__ == ("name", "line", "tags", "data", "note")


@record
class PlainPickled:
    name: str
    values: list = field(default_factory=list)


@record(frozen=True)
class FrozenPickled:
    name: str
    values: tuple = ()


@record(frozen=True, slots=True)
class SlottedPickled:
    name: str
    values: tuple = ()


@pytest.mark.parametrize("kind", [PlainPickled, FrozenPickled, SlottedPickled])
def test_records_pickle_and_come_back_equal(kind):
    item = kind("a", [1, 2] if kind is PlainPickled else (1, 2))
    again = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == item and again is not item and type(again) is kind


def test_post_init_init_false_and_inherited_fields():
    @record
    class Base:
        name: str
        size: int = 1

    @record
    class Child(Base):
        index: dict = field(init=False)
        extra: str = "x"

        def __post_init__(self) -> None:
            self.index = {self.name: self.size}

    child = Child("a", 2, "y")
    assert [f.name for f in fields(Child)] == ["name", "size", "index", "extra"]
    assert child.index == {"a": 2} and child.extra == "y"
    assert (
        repr(child)
        == "test_post_init_init_false_and_inherited_fields.<locals>.Child(name='a', size=2, index={'a': 2}, extra='y')"
    )


def test_frozen_slotted_records_inherit_fields_and_run_post_init_as_dataclasses_do():
    def make(kind, make_field):
        @kind(frozen=True, slots=True)
        class Base:
            name: str
            size: int = 1

        @kind(frozen=True, slots=True)
        class Child(Base):
            tags: list = make_field(default_factory=list)
            index: dict = make_field(init=False, default_factory=dict, compare=False)
            extra: str = "x"

            def __post_init__(self) -> None:
                object.__setattr__(self, "extra", self.extra.upper())

        return Base, Child

    (ref_base, ref_child), (base, child) = make(dataclasses.dataclass, dataclasses.field), make(record, field)
    for args in [("a",), ("a", 2, ["t"], "y")]:
        made, expected = child(*args), ref_child(*args)
        assert [getattr(made, f.name) for f in fields(made)] == [
            getattr(expected, f.name) for f in dataclasses.fields(expected)
        ]
        with pytest.raises(FrozenInstanceError):
            made.size = 5
        assert not hasattr(made, "__dict__") and made == child(*args)
        assert copy.deepcopy(made) == made  # through the same state as pickling
    assert base("b").size == ref_base("b").size == 1
    assert child("a").tags is not child("a").tags


def test_replace_and_the_dataclasses_functions_work_on_records():
    _, made = both(frozen=True)
    item = made("a", 2, ["t"], {"k": 1}, "n")
    changed = replace(item, line=3)
    assert (changed.name, changed.line, changed.tags, changed.note) == ("a", 3, ["t"], "n")
    assert dataclasses.replace(item, name="b").name == "b"  # what a third-party probe may call
    assert dataclasses.is_dataclass(item)
    assert dataclasses.asdict(item) == {"name": "a", "line": 2, "tags": ["t"], "data": {"k": 1}, "note": "n"}
    assert [f.name for f in dataclasses.fields(made)] == ["name", "line", "tags", "data", "note"]
    with pytest.raises(TypeError):
        replace(item, colour="red")


def test_a_class_that_writes_its_own_methods_keeps_them():
    @record(frozen=True)
    class Point:
        x: int

        def __repr__(self) -> str:
            return f"<{self.x}>"

        def __hash__(self) -> int:
            return 7

    assert repr(Point(1)) == "<1>" and hash(Point(1)) == 7

    @record
    class Pair:
        left: int
        right: int

        def __init__(self, both: int) -> None:
            self.left = self.right = both

    assert (Pair(3).left, Pair(3).right) == (3, 3) and Pair(3) == Pair(3)
