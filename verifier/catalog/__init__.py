"""The item catalog: data that says which evidence supports which checklist item.

The built-in catalog is ``items.yaml`` beside this module; ``verify --catalog FILE`` loads a
grader's own copy instead. Loading validates the structure and names the entry at fault.
"""

from __future__ import annotations

from pathlib import Path

from verifier.records import field, record

WEEKS = ("1", "2", "3", "extra")
DECLARED_KIND = "dependency.declared"  # one finding per declared distribution, ``data.package``


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the item and field."""


@record(frozen=True)
class Requirement:
    """One way of meeting a rule: every kind in ``kinds`` must be present."""

    kinds: tuple[str, ...]

    def describe(self) -> str:
        return " + ".join(self.kinds)


@record(frozen=True)
class AnswerWords:
    """Which questions speak of an item (words of their prompts) and which words of an answer
    name it; ``not_about`` marks a clause about something else. Regular expressions, matched
    from a word boundary, case-insensitively."""

    questions: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    not_about: tuple[str, ...] = ()


@record(frozen=True)
class CatalogItem:
    """One checklist item of the catalog: its texts, module and evidence rules."""

    id: str
    modules: tuple[str, ...]
    week: str
    editions: tuple[str, ...]
    wordings: tuple[str, ...]
    remediation: str
    verifiable: bool = True
    strong: tuple[Requirement, ...] = ()
    weak: tuple[str, ...] = ()
    contradicts: tuple[str, ...] = ()
    indirect: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # patterns of files whose removal from the history is reported
    packages: tuple[str, ...] = ()  # distributions whose declaration alone is weak evidence
    answers: AnswerWords | None = None  # where the report's own answers speak of the item

    @property
    def title(self) -> str:
        return self.wordings[0]

    @property
    def module_tag(self) -> str:
        return "+".join(self.modules)

    def all_kinds(self) -> set[str]:
        kinds = {k for req in self.strong for k in req.kinds}
        kinds |= set(self.weak) | set(self.contradicts) | set(self.indirect) | set(self.notes)
        return kinds | ({DECLARED_KIND} if self.packages else set())


@record
class Catalog:
    """The checklist items, in order, and by id."""

    items: list[CatalogItem]
    source: str
    by_id: dict[str, CatalogItem] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {item.id: item for item in self.items}

    def __getitem__(self, item_id: str) -> CatalogItem:
        return self.by_id[item_id]


CACHE_FORMAT = "1"


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load the built-in catalog, or the file at ``path``.

    The checked items of a catalog are kept in the user's cache folder, keyed by the file's
    content, so a later run loads them in well under a millisecond instead of parsing the YAML
    again (and may not need to import the YAML library at all).
    """
    if path is None:
        text = (Path(__file__).parent / "items.yaml").read_text("utf-8")  # shipped beside this module
        source = "built-in"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogError(f"cannot read catalog {path}: {exc.strerror}") from None
        source = str(path)
    cached = _cached_items(text)
    if cached is not None:
        return Catalog(items=cached, source=source)
    items = _parse(text, source)
    _store_items(text, items)
    return Catalog(items=items, source=source)


def _cache_entry(text: str) -> Path | None:
    from verifier.cache import cache_root
    from verifier.digest import sha1

    root = cache_root()
    if root is None:
        return None
    from verifier.records import fields

    layout = (
        ",".join(f.name for f in fields(CatalogItem)) + "," + ",".join(f.name for f in fields(Requirement))
    )
    key = sha1(f"{CACHE_FORMAT}\0{layout}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return root / "catalogs" / f"{key}.pickle"


def _cached_items(text: str) -> list[CatalogItem] | None:
    import pickle

    entry = _cache_entry(text)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as handle:
            items = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if isinstance(items, list) and all(isinstance(item, CatalogItem) for item in items):
        return items
    return None


def _store_items(text: str, items: list[CatalogItem]) -> None:
    import pickle

    from verifier.cache import write_atomically

    entry = _cache_entry(text)
    if entry is not None:
        write_atomically(entry, pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))


def _parse(text: str, source: str) -> list[CatalogItem]:
    from verifier.repo.yaml_safe import YamlError, load_all

    try:
        docs = load_all(text)
    except YamlError as exc:
        raise CatalogError(f"catalog {source} is not valid YAML: {exc}") from None
    data = docs[0] if docs else None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CatalogError(f"catalog {source} needs a top-level 'items' list")
    items = [_item(raw, index, source) for index, raw in enumerate(data["items"])]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise CatalogError(f"catalog {source}: item id {item.id!r} appears twice")
        seen.add(item.id)
    return items


def _strs(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _requirements(raw: dict, where: str) -> tuple[Requirement, ...]:
    out = []
    for entry in raw.get("strong") or []:
        if isinstance(entry, str):
            out.append(Requirement((entry,)))
        elif isinstance(entry, dict) and isinstance(entry.get("all"), list):
            out.append(Requirement(tuple(str(k) for k in entry["all"])))
        else:
            raise CatalogError(f"{where}: a 'strong' entry must be a kind or {{all: [kinds]}}")
    return tuple(out)


def _item(raw: object, index: int, source: str) -> CatalogItem:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise CatalogError(f"catalog {source}: item #{index + 1} needs an 'id'")
    where = f"catalog {source}, item {raw['id']!r}"
    week = str(raw.get("week", "extra"))
    if week not in WEEKS:
        raise CatalogError(f"{where}: week must be one of {', '.join(WEEKS)}")
    wordings = _strs(raw, "wordings", where)
    if not wordings:
        raise CatalogError(f"{where}: needs at least one wording")
    return CatalogItem(
        id=raw["id"],
        modules=_strs(raw, "modules", where),
        week=week,
        editions=_strs(raw, "editions", where),
        wordings=wordings,
        remediation=str(raw.get("remediation", "")).strip(),
        verifiable=bool(raw.get("verifiable", True)),
        strong=_requirements(raw, where),
        weak=_strs(raw, "weak", where),
        contradicts=_strs(raw, "contradicts", where),
        indirect=_strs(raw, "indirect", where),
        notes=_strs(raw, "notes", where),
        files=_strs(raw, "files", where),
        packages=tuple(_normalised(p) for p in _strs(raw, "packages", where)),
        answers=_answer_words(raw, where),
    )


def _answer_words(raw: dict, where: str) -> AnswerWords | None:
    import re

    value = raw.get("answers")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: 'answers' must be a mapping with questions and words")
    found = AnswerWords(
        questions=_strs(value, "questions", f"{where}, answers"),
        words=_strs(value, "words", f"{where}, answers"),
        not_about=_strs(value, "not_about", f"{where}, answers"),
    )
    if not found.questions or not found.words:
        raise CatalogError(f"{where}: 'answers' needs both questions and words")
    for pattern in (*found.questions, *found.words, *found.not_about):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CatalogError(f"{where}, answers: {pattern!r} is not a valid pattern: {exc}") from None
        unsafe = _backtracking_risk(pattern)
        if unsafe:
            raise CatalogError(f"{where}, answers: {pattern!r} {unsafe}")
    return found


# A repeated group ("(a|a)+", "(?:ab)*", "(x){2,}") or a backreference can make matching take
# exponential time on report text; answer patterns are words and short alternatives, so
# neither is needed. A catalog may come from the repository under test (its settings).
def _backtracking_risk(pattern: str) -> str | None:
    """Why an answers pattern could backtrack without bound, or None when it cannot."""
    import re

    plain = re.sub(r"\\.", "", pattern)  # escaped characters are literals
    if re.search(r"\)[*+{]", plain):
        return "repeats a group (*, + or {n,} after a parenthesis): not allowed in answers patterns"
    if re.search(r"\\(?:[1-9]|g<)|\(\?P=", pattern):
        return "uses a backreference: not allowed in answers patterns"
    return None


def _normalised(package: str) -> str:
    """PEP 503: ``Torch_Model.Archiver`` is ``torch-model-archiver``."""
    import re

    return re.sub(r"[-_.]+", "-", package).lower()
