"""`verify --format`: SARIF against the official 2.1.0 schema, GitHub workflow commands parsed
back as the runner reads them, the markdown summary rendered, and student text kept inert."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import git
from verifier.cli import main
from verifier.render.github import escape_data, escape_property

ROOT = Path(__file__).resolve().parents[2]
OVERCLAIMED = ROOT / "examples" / "overclaimed-project"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
HOSTILE_LINE = (
    "* [x] Use logging <script>x</script>|**bold** [l](https://e.x) ~~s~~ %0A ::error::x, y: z to log "
    "important events in your code (M14)"
)


def run(capsys, *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


def example_copy(make_repo, name: str = "overclaimed-project", replace: dict[str, str] | None = None) -> Path:
    """A git repository holding a copy of an example, with report lines replaced."""
    source = ROOT / "examples" / name
    files: dict[str, str | bytes] = {}
    for path in source.rglob("*"):
        if path.is_file():
            files[path.relative_to(source).as_posix()] = path.read_bytes()
    report = files["reports/README.md"].decode("utf-8")
    for old, new in (replace or {}).items():
        assert old in report
        report = report.replace(old, new)
    files["reports/README.md"] = report
    return make_repo(files)


def questioned_items(capsys, path: Path) -> list[dict]:
    _, out = run(capsys, str(path), "--json")
    data = json.loads(out)
    return [
        i for i in data["items"] if i["ticked"] and i["verdict"] in ("weak", "unsupported", "contradicted")
    ]


# ---- SARIF ---------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema_with_one_result_per_questioned_tick(capsys):
    expected = questioned_items(capsys, OVERCLAIMED)
    status, out = run(capsys, str(OVERCLAIMED), "--format", "sarif")
    assert status == 1
    sarif = json.loads(out)
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator.check_schema(SARIF_SCHEMA)
    validator(SARIF_SCHEMA).validate(sarif)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    results = run_["results"]
    assert sorted(r["ruleId"] for r in results) == sorted(i["id"] for i in expected)
    by_id = {i["id"]: i for i in expected}
    rules = run_["tool"]["driver"]["rules"]
    for result in results:
        item = by_id[result["ruleId"]]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "examples/overclaimed-project/reports/README.md"
        assert location["region"]["startLine"] == item["report_line"]
        assert rules[result["ruleIndex"]]["id"] == item["id"]
        assert (
            result["level"]
            == {"contradicted": "error", "unsupported": "error", "weak": "note"}[item["verdict"]]
        )
        evidence_paths = {e["path"] for e in item["evidence"] if e["path"]}
        related = {
            r["physicalLocation"]["artifactLocation"]["uri"] for r in result.get("relatedLocations", [])
        }
        assert related == {f"examples/overclaimed-project/{p}" for p in evidence_paths}
    contradicted = next(r for r in results if r["ruleId"] == "ci-matrix-cache")
    assert any(
        r["physicalLocation"]["artifactLocation"]["uri"].endswith(".github/workflows/ci.yml")
        for r in contradicted["relatedLocations"]
    )
    for rule in rules:
        assert rule["help"]["text"].startswith("What would count as evidence: ")
        assert len(rule["help"]["text"]) > len("What would count as evidence: ") + 10


def test_sarif_keeps_an_excused_tick_as_a_suppressed_result(capsys, make_repo):
    root = example_copy(make_repo)
    (root / ".mlops-verifier.toml").write_text(
        '[excused]\nwandb = "logged with MLflow instead, agreed with the TA"\n'
    )
    status, out = run(capsys, str(root), "--format", "sarif")
    sarif = json.loads(out)
    jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA).validate(sarif)
    wandb = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "wandb")
    assert wandb["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "logged with MLflow instead, agreed with the TA",
        }
    ]
    assert wandb["level"] == "note"
    assert status == 1  # the other flags remain


def test_sarif_locations_are_uri_references_even_for_odd_file_names(capsys, make_repo):
    """SARIF needs URI references: a space, ``#`` or ``%`` in a file name is percent-encoded,
    and decoding gives the path back."""
    from urllib.parse import unquote

    root = example_copy(make_repo)
    odd = "reports/final report #1 100%.md"
    (root / "reports" / "README.md").rename(root / odd)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "rename the report")
    _, out = run(capsys, str(root), "--format", "sarif", "--report", str(root / odd))
    sarif = json.loads(out)
    uris = re.findall(r'"uri": "([^"]*)"', json.dumps(sarif))
    assert uris and any(unquote(uri) == odd for uri in uris)
    for uri in uris:
        assert not re.search(r"[\s#?\x00-\x1f]|%(?![0-9A-Fa-f]{2})", uri), uri


# ---- GitHub workflow commands ------------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """A workflow command line, read as the Actions runner reads it."""
    match = COMMAND.match(line)
    if not match:
        return None
    props = {}
    for pair in (match["props"] or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = unescape_property(value)
    return match["name"], props, unescape_data(match["message"])


@pytest.mark.parametrize(
    "text", ["plain", "50% done", "a,b:c", "two\nlines\r\n", "::error::x", "%0A literal"]
)
def test_workflow_command_escaping_round_trips(text):
    assert unescape_data(escape_data(text)) == text
    assert unescape_property(escape_property(text)) == text
    assert (
        "\n" not in escape_data(text)
        and "," not in escape_property(text)
        and ":" not in escape_property(text)
    )


def test_github_annotations_parse_back_to_the_report_lines(capsys, make_repo):
    root = example_copy(
        make_repo,
        replace={"* [x] Use logging to log important events in your code (M14)": HOSTILE_LINE},
    )
    expected = {i["id"]: i for i in questioned_items(capsys, root)}
    status, out = run(capsys, str(root), "--format", "github")
    assert status == 1
    lines = out.splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(expected) and all(commands)
    assert not any(line.startswith("::") for line in lines[len(commands) :])  # then the plain summary
    seen = {}
    for name, props, message in commands:
        item_id = props["title"].split(":", 1)[0]
        item = expected[item_id]
        assert props["file"] == "reports/README.md"
        assert int(props["line"]) == item["report_line"]
        assert name == {"contradicted": "error", "unsupported": "error", "weak": "notice"}[item["verdict"]]
        seen[item_id] = message
    assert "::error::x, y: z" in seen["logging"]  # student text arrives intact, as data
    assert "%0A" in seen["logging"] and "Use logging <script>" in seen["logging"]
    for line in lines:  # and never starts a command of its own
        assert line.startswith(("::error ", "::warning ", "::notice ", "mlops-report-verifier: "))


def test_fail_on_contradicted_turns_other_flags_into_warnings(capsys):
    status, out = run(capsys, str(OVERCLAIMED), "--format", "github", "--fail-on", "contradicted")
    commands = [parse_command(line) for line in out.splitlines() if line.startswith("::")]
    levels = {props["title"].split(":")[0]: name for name, props, _ in commands}
    assert levels["ci-matrix-cache"] == "error"
    assert levels["wandb"] == "warning"
    assert status == 1  # a contradicted tick still fails


# ---- markdown ------------------------------------------------------------------------------


def render_markdown(text: str):
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    return md.render(text), md.parse(text)


def test_markdown_summary_renders_flagged_first_then_counts_with_student_text_inert(capsys, make_repo):
    root = example_copy(
        make_repo,
        replace={"* [x] Use logging to log important events in your code (M14)": HOSTILE_LINE},
    )
    expected = questioned_items(capsys, root)
    status, out = run(capsys, str(root), "--format", "markdown")
    assert status == 1
    html, tokens = render_markdown(out)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == len(expected) + 1  # the header row and one row per questioned tick
    # every row has exactly six cells: a | in student text does not add one
    row_cells, count = [], 0
    for token in tokens:
        if token.type == "tr_open":
            count = 0
        elif token.type in ("td_open", "th_open"):
            count += 1
        elif token.type == "tr_close":
            row_cells.append(count)
    assert set(row_cells) == {6}
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>bold</strong>" not in html and "<a href" not in html and "<s>" not in html
    assert "**bold**" in html and "~~s~~" in html
    # flagged ticks first: the failing ones before the weak ones, then the counts
    text_rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| |")]
    marks = [row.split("|")[1].strip() for row in text_rows]
    assert marks == sorted(marks, key=lambda m: ["❌", "⚠️", "ℹ️"].index(m))
    assert out.index("**Counts:**") > out.index(text_rows[-1])
    counts_line = next(line for line in out.splitlines() if line.startswith("**Counts:**"))
    assert "1 contradicted" in counts_line


def test_markdown_of_an_honest_project_says_nothing_fails(capsys):
    status, out = run(capsys, str(ROOT / "examples" / "honest-project"), "--format", "markdown")
    assert status == 0
    assert "**No ticked item fails the check**" in out
    html, _ = render_markdown(out)
    assert "<table>" not in html


# ---- the rest --------------------------------------------------------------------------------


def test_json_shorthand_equals_format_json(capsys):
    _, short = run(capsys, str(OVERCLAIMED), "--json")
    _, long = run(capsys, str(OVERCLAIMED), "--format", "json")
    a, b = json.loads(short), json.loads(long)
    a.pop("timings"), b.pop("timings"), a.pop("probes"), b.pop("probes")
    assert a == b


def test_json_and_another_format_is_a_usage_error(capsys):
    assert main([str(OVERCLAIMED), "--json", "--format", "sarif"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_quiet_prints_only_questioned_ticks_and_the_summary(capsys):
    _, full = run(capsys, str(OVERCLAIMED))
    _, quiet = run(capsys, str(OVERCLAIMED), "--quiet")
    assert "supported            [x]" in full and "supported            [x]" not in quiet
    assert "  not-claimed " not in quiet and "Questions:" not in quiet and "Week 1" not in quiet
    assert "contradicted" in quiet and "Summary:" in quiet
    verdict_lines = [line for line in quiet.splitlines() if re.match(r"  [a-z-]+ +\[", line)]
    assert verdict_lines and all(
        line.split()[0] in ("weak", "unsupported", "contradicted") for line in verdict_lines
    )
