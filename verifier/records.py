"""Record classes: what ``@dataclasses.dataclass`` makes of a class, for the features this
project uses, built at a fraction of the cost.

Every run defines about fifty record classes (findings, verdicts, facts, catalog items...).
``dataclasses`` imports ``inspect`` and writes and compiles five or six methods per class: about
30 ms of every run, a fifth of a small repository's whole verification. :func:`record` compiles
only ``__init__`` (the method whose speed matters, as in ``dataclasses``) and gives each class
shared ``__repr__``, ``__eq__`` and ``__hash__`` that read the fields from the class.

Supported: ``frozen`` (assigning raises :class:`FrozenInstanceError`; such a record is hashable
by its fields), ``slots``, fields with a default or a ``default_factory``, ``init``, ``repr``,
``compare`` and ``hash`` flags, ``__post_init__``, fields inherited from a record base class, and
:func:`replace` and :func:`fields`. A record also answers to the ``dataclasses`` functions
(``dataclasses.replace``, ``fields``, ``asdict``, ``is_dataclass``): its
``__dataclass_fields__`` are built, importing ``dataclasses``, the first time something asks.
"""

from __future__ import annotations

import sys

from verifier import compiled

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_NO_VALUE_YET: Any = _Missing()  # a default_factory field not given to __init__


class FrozenInstanceError(AttributeError):
    """An attempt to change a field of a frozen record."""


class Field:
    """One field of a record: its name and how ``__init__``, ``repr`` and ``==`` treat it."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare", "hash")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,  # noqa: A002 (the dataclasses spelling)
        compare: bool = True,
        hash: bool | None = None,  # noqa: A002
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = hash

    @property
    def hashed(self) -> bool:
        return self.compare if self.hash is None else self.hash

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    init: bool = True,
    repr: bool = True,  # noqa: A002
    compare: bool = True,
    hash: bool | None = None,  # noqa: A002
) -> Any:
    """A field's settings, as ``dataclasses.field`` takes them."""
    return Field(default, default_factory, init, repr, compare, hash)


def record(cls: type | None = None, /, *, frozen: bool = False, slots: bool = False):
    """The class made a record (``@record``, ``@record(frozen=True, slots=True)``)."""

    def wrap(cls: type) -> type:
        return _make_record(cls, frozen, slots)

    return wrap if cls is None else wrap(cls)


def fields(record_or_class: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in order."""
    found = getattr(record_or_class, "__record_fields__", None)
    if found is None:
        raise TypeError("must be called with a record class or instance")
    return found


def replace(obj: Any, /, **changes: Any) -> Any:
    """A new record of the same class with ``changes`` to its fields (which must be ``init``)."""
    values = {}
    for item in fields(obj):
        if not item.init:
            if item.name in changes:
                raise ValueError(f"field {item.name} is declared with init=False, it cannot be specified")
            continue
        values[item.name] = changes.pop(item.name) if item.name in changes else getattr(obj, item.name)
    if changes:
        raise TypeError(f"{type(obj).__name__} has no field {next(iter(changes))!r}")
    return type(obj)(**values)


def _make_record(cls: type, frozen: bool, slots: bool) -> type:
    own = cls.__dict__
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for inherited in base.__dict__.get("__record_fields__", ()):
            collected[inherited.name] = inherited
    for name, annotation in own.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.replace("typing.", "").startswith("ClassVar"):
            continue
        value = own.get(name, MISSING)
        if isinstance(value, Field):
            item = value
            if item.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, item.default)
        else:
            item = Field(default=value)
        item.name = name
        collected[name] = item
    members = tuple(collected.values())
    methods: dict[str, Any] = {"__record_fields__": members, "__dataclass_fields__": _DataclassFields()}
    own_init = "__init__" in own  # as dataclasses: a method the class writes itself stays
    if not own_init and not (frozen and slots):
        methods["__init__"] = _init_method(cls, members, frozen, hasattr(cls, "__post_init__"))
    if "__repr__" not in own:
        methods["__repr__"] = _repr_method(tuple(f.name for f in members if f.repr))
    if "__eq__" not in own:
        methods["__eq__"] = _eq_method(tuple(f.name for f in members if f.compare))
    # as dataclasses: a __hash__ the class wrote itself stays (Python's None for a class that
    # writes __eq__ is not one); otherwise frozen records hash by their fields, others are unhashable
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if not explicit_hash:
        methods["__hash__"] = _hash_method(tuple(f.name for f in members if f.hashed)) if frozen else None
    if frozen:
        methods["__setattr__"] = _frozen_setattr
        methods["__delattr__"] = _frozen_delattr
    for name, value in methods.items():
        setattr(cls, name, value)
    if slots:
        cls = _with_slots(cls, members)
        if frozen and not own_init:  # fields set through the slots themselves, made just now
            post_init = hasattr(cls, "__post_init__")
            cls.__init__ = _init_method(cls, members, frozen, post_init, _slot_setters(cls))
    return cls


def _slot_setters(cls: type) -> dict[str, Any]:
    """Field name -> the ``__set__`` of its slot, for every slot of the class and its bases."""
    setters: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for name in klass.__dict__.get("__slots__", ()):
            descriptor = klass.__dict__.get(name)
            if descriptor is not None and hasattr(descriptor, "__set__"):
                setters[name] = descriptor.__set__
    return setters


def _init_method(
    cls: type, members: tuple[Field, ...], frozen: bool, post_init: bool, setters: dict | None = None
):
    """``__init__`` written out for the fields (as ``dataclasses`` does). A frozen record sets
    its fields past its own ``__setattr__``: through each slot's setter when ``setters`` has
    them (a third of the time), else through ``object.__setattr__``."""
    setters = setters or {}
    namespace: dict[str, Any] = {"_NO_VALUE_YET": _NO_VALUE_YET, "_set": object.__setattr__}
    parameters = ["self"]
    lines = []
    for item in members:
        name = item.name
        value = name
        if item.default is not MISSING:
            namespace[f"_default_{name}"] = item.default
        if item.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = item.default_factory
        if item.init:
            if item.default is not MISSING:
                parameters.append(f"{name}=_default_{name}")
            elif item.default_factory is not MISSING:
                parameters.append(f"{name}=_NO_VALUE_YET")
                value = f"_factory_{name}() if {name} is _NO_VALUE_YET else {name}"
            else:
                parameters.append(name)
        elif item.default is not MISSING:
            value = f"_default_{name}"
        elif item.default_factory is not MISSING:
            value = f"_factory_{name}()"
        else:
            continue  # set by __post_init__
        if not frozen:
            lines.append(f"self.{name} = {value}")
        elif name in setters:
            namespace[f"_set_{name}"] = setters[name]
            lines.append(f"_set_{name}(self, {value})")
        else:
            lines.append(f"_set(self, {name!r}, {value})")
    if post_init:
        lines.append("self.__post_init__()")
    source = f"def __init__({', '.join(parameters)}):\n    " + ("\n    ".join(lines) or "pass")
    made: dict[str, Any] = {}
    exec(compiled.code(source), namespace, made)  # noqa: S102 (the source is built here from the class's own field names)
    init = made["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def _repr_method(names: tuple[str, ...]):
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _eq_method(names: tuple[str, ...]):
    if sys.version_info >= (3, 13):  # as dataclasses compare from 3.13: field by field

        def __eq__(self, other: object) -> bool:
            if self is other:
                return True
            if other.__class__ is not self.__class__:
                return NotImplemented
            return all(getattr(self, name) == getattr(other, name) for name in names)

        return __eq__

    def __eq__(self, other: object) -> bool:  # as tuples (a value is equal to itself, even NaN)
        if other.__class__ is not self.__class__:
            return NotImplemented
        return tuple(getattr(self, name) for name in names) == tuple(getattr(other, name) for name in names)

    return __eq__


def _hash_method(names: tuple[str, ...]):
    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in names))

    return __hash__


def _frozen_setattr(self, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _with_slots(cls: type, members: tuple[Field, ...]) -> type:
    """The class made again with ``__slots__`` for its fields (as ``dataclasses`` does)."""
    namespace = dict(cls.__dict__)
    inherited = {name for base in cls.__mro__[1:] for name in base.__dict__.get("__slots__", ())}
    own = tuple(item.name for item in members if item.name not in inherited)
    namespace["__slots__"] = own
    for name in (*own, "__dict__", "__weakref__"):
        namespace.pop(name, None)
    if "__getstate__" not in namespace:
        namespace["__getstate__"] = _slots_getstate
        namespace["__setstate__"] = _slots_setstate
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made


def _slots_getstate(self) -> tuple:
    return tuple(getattr(self, item.name) for item in fields(self))


def _slots_setstate(self, state: tuple) -> None:
    for item, value in zip(fields(self), state, strict=True):
        object.__setattr__(self, item.name, value)


class _DataclassFields:
    """``__dataclass_fields__`` built on first use, so that ``dataclasses.replace``, ``fields``,
    ``asdict`` and ``is_dataclass`` work on records (third-party probes may use them)."""

    def __get__(self, instance: Any, owner: type) -> dict[str, Any]:
        import dataclasses

        built = {}
        for item in owner.__record_fields__:
            made = dataclasses.field(
                default=item.default if item.default is not MISSING else dataclasses.MISSING,
                default_factory=(
                    item.default_factory if item.default_factory is not MISSING else dataclasses.MISSING
                ),
                init=item.init,
                repr=item.repr,
                hash=item.hash,
                compare=item.compare,
            )
            made.name = item.name
            made.type = owner.__dict__.get("__annotations__", {}).get(item.name, "Any")
            made._field_type = dataclasses._FIELD
            built[item.name] = made
        return built
