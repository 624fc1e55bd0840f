"""The cohort overview: rows name the repository and the students, beyond-checklist and answer
findings have their own columns, verdicts read without colour, the matrix scrolls with its
header and first column held; batch takes --catalog and --probes."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from importlib import resources

import pytest

from tests.verifier.test_formats import example_copy
from verifier.batch.runner import BatchOptions, run_batch
from verifier.batch.sources import Group
from verifier.cli import main
from verifier.render.overview import ABBREVIATIONS, MEANINGS, STYLE, repository_name

SECRET = "WANDB_API_KEY = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0'\n"


class Cells(HTMLParser):
    """The matrix rows as lists of (class, text) cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.in_matrix = False
        self.cell: list[str] | None = None
        self.cls = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "matrix":
            self.in_matrix = True
        elif self.in_matrix and tag == "tr":
            self.rows.append([])
        elif self.in_matrix and tag in ("td", "th"):
            self.cell, self.cls = [], attrs.get("class") or ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_matrix = False
        elif self.cell is not None and tag in ("td", "th"):
            self.rows[-1].append((self.cls, " ".join(" ".join(self.cell).split())))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture
def cohort_run(make_repo, tmp_path):
    honest = example_copy(make_repo, "honest-project")
    leaky = example_copy(make_repo, "overclaimed-project")
    (leaky / "src" / "weather" / "keys.py").write_text(SECRET)
    from tests.conftest import git

    git(leaky, "add", "-A")
    git(leaky, "commit", "-qm", "keys")
    groups = [
        Group("group_1", str(honest), ("Ann Example", "Ben Example")),
        Group("group_2", str(leaky), ("Cy <b>Bold</b>",)),
    ]
    out = tmp_path / "out"
    records = run_batch(groups, BatchOptions(out=out, cache=out / "repos", jobs=1))
    return out, records


def test_rows_name_repository_and_students_with_beyond_and_answer_columns(cohort_run):
    out, records = cohort_run
    page = (out / "overview.html").read_text()
    parser = Cells()
    parser.feed(page)
    header = [text for _cls, text in parser.rows[0]]
    assert header[:4] == ["group, repository, students", "flagged", "beyond checklist", "answer findings"]
    body = {row[0][1].split()[0]: row for row in parser.rows[2:]}
    assert "Ann Example, Ben Example" in body["group_1"][0][1]
    assert "Cy <b>Bold</b>" in body["group_2"][0][1]  # escaped: shown as text
    assert "<b>Bold</b>" not in page
    leaky = json.loads((out / "groups" / "group_2.json").read_text())
    beyond = len(leaky["beyond_checklist"])
    answers = sum(len(q["findings"]) for q in leaky["questions"]["questions"])
    assert beyond >= 1 and answers >= 1
    assert body["group_2"][2][1] == str(beyond) and body["group_2"][3][1] == str(answers)
    assert body["group_1"][2][1] == ""  # nothing beyond the checklist in the honest project

    rows = {r["group"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert rows["group_2"]["beyond_checklist"] == str(beyond)
    assert "hygiene.secret" in rows["group_2"]["beyond_checklist_kinds"]
    assert rows["group_2"]["answer_findings"] == str(answers)
    assert rows["group_1"]["students"] == "Ann Example; Ben Example"


def test_every_verdict_has_a_symbol_explained_in_the_legend(cohort_run):
    out, _ = cohort_run
    page = (out / "overview.html").read_text()
    shown = {v for v, symbol in ABBREVIATIONS.items() if symbol}
    assert len({ABBREVIATIONS[v] for v in shown}) == len(shown)  # no two verdicts share a symbol
    legend = re.search(r'<p class="legend">(.*?)</p>', page).group(1)
    for verdict in shown:
        assert f"{ABBREVIATIONS[verdict]} {verdict}: {MEANINGS[verdict]}" in legend.replace("&#x27;", "'")
    parser = Cells()
    parser.feed(page)
    for row in parser.rows[2:]:
        for cls, text in row[4:]:
            verdict = cls.removeprefix("v-") if cls.startswith("v-") else None
            if verdict:
                assert text == ABBREVIATIONS[verdict]  # the symbol is there, not only the colour
    colours = dict(re.findall(r"\.v-([a-z-]+)\{background:(#[0-9a-f]{6})", STYLE))
    assert len(set(colours.values())) == len(colours)


def test_the_matrix_scrolls_with_header_and_first_column_held(cohort_run):
    out, _ = cohort_run
    page = (out / "overview.html").read_text()
    assert '<div class="scroll"><table id="matrix">' in page
    assert re.search(r"\.scroll\{overflow:auto", STYLE)
    assert re.search(r"thead th,thead td\{[^}]*position:sticky", STYLE)
    assert re.search(r"\.sticky\{position:sticky;left:0", STYLE)
    parser = Cells()
    parser.feed(page)
    assert all(row[0][0].split()[-1] == "sticky" for row in parser.rows)


def test_repository_names_never_carry_credentials():
    assert repository_name("https://user:token@github.com/owner/repo.git") == "owner/repo"
    assert repository_name("git@github.com:owner/repo.git") == "owner/repo"
    assert repository_name("/home/grader/cohort/group7") == "cohort/group7"


def test_batch_takes_a_catalog_and_probes(make_repo, tmp_path, capsys):
    folder = tmp_path / "cohort"
    folder.mkdir()
    repo = example_copy(make_repo)
    repo.rename(folder / "team-a")
    text = resources.files("verifier.catalog").joinpath("items.yaml").read_text("utf-8")
    catalog = tmp_path / "strict.yaml"
    catalog.write_text(
        text.replace("strong: [docker.dockerfile]", "strong: [docker.compose]\n    weak: [docker.dockerfile]")
    )
    out = tmp_path / "out"
    assert (
        main(
            [
                "batch",
                str(folder),
                "--out",
                str(out),
                "--jobs",
                "1",
                "--catalog",
                str(catalog),
                "--probes",
                "git,workflows",
            ]
        )
        == 0
    )
    capsys.readouterr()
    data = json.loads((out / "groups" / "team-a.json").read_text())
    assert data["catalog"] == str(catalog)
    assert {p["id"] for p in data["probes"]} == {"git", "workflows"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--probes", "nosuch"], "no probe named 'nosuch'"),
        (["--catalog", "/nonexistent.yaml"], "cannot read catalog"),
    ],
)
def test_batch_refuses_unknown_probes_and_broken_catalogs(tmp_path, capsys, args, message):
    (tmp_path / "cohort" / "team-a").mkdir(parents=True)
    assert main(["batch", str(tmp_path / "cohort"), "--out", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
