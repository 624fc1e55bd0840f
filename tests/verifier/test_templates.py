"""Recognising unchanged template files by fingerprint, and weakening their evidence."""

from __future__ import annotations

from verifier import templates
from verifier.engine import weaken_template_default
from verifier.evidence import STRONG, TEMPLATE_DEFAULT, WEAK, Finding

TEMPLATE = 'FROM python:3.11\n# a comment\nCOPY {{ cookiecutter.project_name }} src/\nRUN pip install -r requirements.txt\nCMD ["python", "train.py"]\n'


def install(monkeypatch, *texts: str) -> None:
    index: dict = {}
    for number, text in enumerate(texts):
        fp = templates.fingerprint(f"dockerfiles/t{number}.dockerfile@abc", text)
        index.setdefault(fp.lines, []).append(fp)
    monkeypatch.setattr(templates, "_index", lambda: index)


def test_an_unchanged_copy_matches_with_placeholders_filled(monkeypatch):
    install(monkeypatch, TEMPLATE)
    generated = TEMPLATE.replace("{{ cookiecutter.project_name }}", "pets").replace("# a comment\n", "")
    assert templates.match_default("  " + generated.replace(" ", "   ")) == "dockerfiles/t0.dockerfile@abc"


def test_an_edited_file_does_not_match(monkeypatch):
    install(monkeypatch, TEMPLATE)
    edited = TEMPLATE.replace("train.py", "serve.py")
    assert templates.match_default(edited) is None
    longer = TEMPLATE + "EXPOSE 8080\n"
    assert templates.match_default(longer) is None


def test_among_templates_of_one_length_the_first_that_fits_is_named(monkeypatch):
    """Templates of the same length are compared side by side, line by line: one ruled out
    late (its last line differs) leaves the next, and the first in order that fits wins."""
    other = TEMPLATE.replace('CMD ["python", "train.py"]', 'CMD ["python", "serve.py"]')
    install(monkeypatch, other, TEMPLATE, TEMPLATE.replace("3.11", "3.12"))
    assert templates.match_default(TEMPLATE.replace("{{ cookiecutter.project_name }}", "p")) == (
        "dockerfiles/t1.dockerfile@abc"
    )
    assert templates.match_default(other.replace("{{ cookiecutter.project_name }}", "p")) == (
        "dockerfiles/t0.dockerfile@abc"
    )
    assert templates.match_default(TEMPLATE.replace("COPY", "ADD").replace("3.11", "3.10")) is None


def test_fingerprints_hold_hashes_not_text():
    fp = templates.fingerprint("x", TEMPLATE)
    assert fp.lines == 4 and fp.placeholders == 1
    assert all(len(h) == 10 and "python" not in h for h in fp.hashes)


def test_the_shipped_facts_load():
    index = templates._index()
    assert sum(len(v) for v in index.values()) > 20


def test_evidence_in_a_template_file_is_weakened(monkeypatch, make_view):
    install(monkeypatch, TEMPLATE)
    view = make_view(
        {
            "Dockerfile": TEMPLATE.replace("{{ cookiecutter.project_name }}", "pets"),
            "other.dockerfile": "FROM x\nRUN echo\n",
        }
    )
    strong = Finding("p", "docker.dockerfile", "Dockerfile", 1, "FROM python:3.11", STRONG, "a Dockerfile")
    weakened = weaken_template_default(view, strong)
    assert weakened.strength == WEAK and TEMPLATE_DEFAULT in weakened.flags
    assert "unchanged template default dockerfiles/t0.dockerfile" in weakened.message
    other = Finding("p", "docker.dockerfile", "other.dockerfile", 1, "FROM x", STRONG, "")
    assert weaken_template_default(view, other) is other


def test_the_quick_line_count_agrees_with_the_normalised_lines():
    """match_default refuses a file by its line count before normalising it: the two counts
    must agree on any text (blank lines, comments, CR LF, unusual whitespace)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from verifier.templates import _count_lines, normalise_lines

    pieces = st.sampled_from(
        ["a", "# c", "//x", " ", "\t", "\r\n", "\n", "\u00a0", "\u2028", "b  c", "{{ x }}"]
    )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def check(text: str) -> None:
        assert _count_lines(text) == len(normalise_lines(text))

    check()
