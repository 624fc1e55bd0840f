"""One verification, end to end: repository view, report, probes, verdicts."""

from __future__ import annotations

import time
from pathlib import Path

from verifier.catalog import Catalog
from verifier.engine import run_probes
from verifier.registry import Registry
from verifier.repo.view import RepoView
from verifier.result import ProbeInfo, ReportInfo, RepositoryInfo, VerificationResult
from verifier.verdicts import judge


def project_dir_of(report_path: str) -> str:
    """The project folder a report implies: the parent of ``reports/``, else the report's folder.

    ``portfolio/reports/README.md`` gives ``portfolio``; a root ``README.md`` gives ``""``.
    """
    parts = report_path.split("/")[:-1]
    if parts and parts[-1].lower() == "reports":
        parts = parts[:-1]
    return "/".join(parts)


def _note_removed_evidence(view: RepoView, catalog: Catalog, items: list) -> None:
    """For a tick nothing supports, tell of files that would have counted but were deleted."""
    from verifier.verdicts import UNSUPPORTED

    flagged = [
        v for v in items if v.claimed and v.verdict == UNSUPPORTED and v.item_id and catalog[v.item_id].files
    ]
    if not flagged or view.git_root is None:
        return
    from verifier.evidence import Finding
    from verifier.repo.history import deleted_files, removed_evidence

    removals = deleted_files(view.git_root, view.revision.commit if view.revision else "HEAD")
    present = set(view.files)
    for verdict in flagged:
        for removal in removed_evidence(removals, catalog[verdict.item_id].files, present):
            finding = Finding(
                probe="history",
                kind="history.removed",
                path=removal.path,
                line=None,
                snippet=f"removed in {removal.removed_in[:10]} ({removal.removed_on[:10]})",
                message=f"{removal.path} existed until {removal.last_with[:10]}; removed in "
                f"{removal.removed_in[:10]} on {removal.removed_on[:10]}",
                data={
                    "removed_in": removal.removed_in,
                    "last_with": removal.last_with,
                    "removed_on": removal.removed_on,
                },
            )
            verdict.evidence.append(("note", finding))


def _worktree_reader(view: RepoView):
    """What reads the files of the work tree that differ from the last commit (a function of
    no arguments), or None when a commit is read instead of the work tree."""
    if view.revision is not None or view.git_root is None or view.via != "git":
        return None
    from functools import partial

    import verifier.safe_text  # noqa: F401 (git's errors are told through it; a forked helper imports nothing)
    from verifier.repo.worktree_status import worktree_status

    return partial(worktree_status, view.git_root, view.root)


def _worktree_status(read, job, helper_outcome):
    """The work tree's differences: from the background ``job``, else from the parse helper's
    closing task (``helper_outcome``), else read now (the helper failed at it)."""
    from verifier.repo.worktree_status import WorktreeStatus

    if read is None:
        return WorktreeStatus()
    if job is not None:
        return job.result()
    return helper_outcome[1] if helper_outcome and helper_outcome[0] else read()


def _note_branch_evidence(view: RepoView, catalog: Catalog, items: list) -> None:
    """For a tick nothing supports, files that would have counted but live only on a branch
    never merged into the verified revision: named in a note, never counted."""
    from verifier.verdicts import UNSUPPORTED, WEAK_VERDICT

    questioned = [
        v
        for v in items
        if v.claimed and v.verdict in (UNSUPPORTED, WEAK_VERDICT) and v.item_id and catalog[v.item_id].files
    ]
    if not questioned or view.git_root is None:
        return
    from verifier.evidence import Finding
    from verifier.repo.branches import branch_evidence

    files = view.unmerged_branch_files()
    present = set(view.files)
    for verdict in questioned:
        for entry in branch_evidence(files, catalog[verdict.item_id].files, present):
            message = (
                f"{entry.path} is on branch {entry.branch}, last commit {entry.commit[:10]} "
                f"({entry.date[:10]}), not in the verified revision"
            )
            finding = Finding(
                probe="history",
                kind="history.unmerged-branch",
                path=entry.path,
                line=None,
                snippet=f"on branch {entry.branch}"[:160],
                message=message,
                data={"branch": entry.branch, "commit": entry.commit, "date": entry.date},
            )
            verdict.evidence.append(("note", finding))


def _unclaimed_console_work(verdict, words, questions: list) -> None:
    """A tick a repository cannot show (work in a console) with no indirect signal, whose own
    answer to the question about it never names it: nothing at all stands behind it."""
    from verifier.answers.denials import unmentioned
    from verifier.verdicts import NOT_VERIFIABLE, UNSUPPORTED

    if verdict.verdict != NOT_VERIFIABLE or any(role == "indirect" for role, _ in verdict.evidence):
        return
    silent = unmentioned(questions, words.questions, words.words)
    if silent:
        where = ", ".join(f"question {n}" for n in silent)
        verdict.verdict = UNSUPPORTED
        verdict.reason = f"a repository cannot show this, and the answer to {where} never speaks of it"


def _apply_denials(items: list, catalog: Catalog, questions: list, report_path: str, text: str) -> None:
    """A tick whose own answer says it was not done is contradicted, quoting the sentence;
    strong evidence in the repository outweighs the words (the answer may be stale)."""
    from verifier.answers.denials import denial_finding, find_denial
    from verifier.verdicts import CONTRADICTED, SUPPORTED

    lines = None
    for verdict in items:
        if not verdict.claimed or verdict.item_id is None or verdict.verdict in (SUPPORTED, CONTRADICTED):
            continue
        words = catalog[verdict.item_id].answers
        if words is None:
            continue
        lines = lines if lines is not None else text.split("\n")
        denial = find_denial(questions, words.questions, words.words, words.not_about, lines)
        if denial is None:
            _unclaimed_console_work(verdict, words, questions)
            continue
        finding = denial_finding(denial, report_path)
        verdict.verdict = CONTRADICTED
        verdict.reason = f"the report contradicts it: {finding.message}"
        verdict.evidence.insert(0, ("contradicts", finding))
        rule = verdict.remediation or catalog[verdict.item_id].remediation
        verdict.remediation = f"Untick the box, or correct the answer to question {denial.question}" + (
            f" and: {rule}" if rule else ""
        )


class VerificationError(Exception):
    """The run cannot produce a result (no report, not a checklist); a one-line reason."""


def verify(
    path: Path,
    report: str | None = None,
    catalog: Catalog | None = None,
    registry: Registry | None = None,
    view: RepoView | None = None,
    rev: str | None = None,
    at: str | None = None,
    startup: dict[str, float] | None = None,
) -> VerificationResult:
    """Verify the repository at ``path``: its tracked files, or a commit (``rev``) or the last
    commit on the default branch at or before a moment (``at``), read from git objects.

    ``startup`` is the time the caller spent loading ``catalog`` and ``registry`` (see
    :mod:`verifier.startup`); without them they are loaded here and timed.
    """
    from verifier.catalog.matching import match_entries
    from verifier.report.checklist import PARTIAL, TICKED, parse_checklist
    from verifier.report.discover import ReportNotFound, find_report
    from verifier.report.edition import detect_edition

    timings: dict[str, float] = dict(startup or {})
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    if catalog is None or registry is None:
        from verifier.startup import load_startup

        loaded = load_startup()
        catalog = catalog or loaded.catalog
        registry = registry or loaded.registry
        for name, seconds in loaded.timings.items():
            timings[name] = timings.get(name, 0.0) + seconds
        clock = time.perf_counter()
    revision = None
    if view is None and (rev or at):
        from verifier.repo.gitcmd import GitToolError, check_gitpython
        from verifier.repo.revision import RevisionError, resolve, revision_source

        try:
            check_gitpython()  # objects are read through gitpython: refuse an unsafe release
            git_root, revision = resolve(path, rev=rev, at=at)
        except (RevisionError, GitToolError) as exc:
            raise VerificationError(str(exc)) from None
        view = RepoView.open(path, source=revision_source(git_root, revision))
        view.revision = revision
    view = view or RepoView.open(path)
    view.prefetch_git()
    lap("listing")
    try:
        choice = find_report(view, report)
    except ReportNotFound as exc:
        raise VerificationError(str(exc)) from None
    if not view.project_dir:
        view.project_dir = project_dir_of(choice.path)
    view.report_path = choice.path
    checklist = parse_checklist(choice.text)
    if not checklist.entries:
        raise VerificationError(f"{choice.path} is a 02476 report but has no checklist items")
    edition = detect_edition(choice.text, checklist)
    matches = match_entries(checklist.entries, catalog, edition.id)
    lap("report")
    # the work tree's status is read beside the probes: by the parse helper once its files are
    # parsed on a large repository (view.start_parse_helper), in a background thread otherwise
    read_status = _worktree_reader(view)
    status_job = None
    if not view.start_parse_helper(then=read_status) and read_status is not None:
        from verifier.repo.background import Background

        status_job = Background(read_status)
    run = run_probes(view, registry.probes)
    view.release_parse_helper()
    lap("probes")
    timings["reading and parsing"] = round(run.shared_seconds, 4)  # shared by all probes
    timings["probes"] = round(timings["probes"] - run.shared_seconds, 4)
    items = judge(matches, catalog, run.findings, registry.kinds())
    _note_removed_evidence(view, catalog, items)
    _note_branch_evidence(view, catalog, items)
    from verifier.answers.split import split_questions

    try:
        split = split_questions(choice.text, edition.id)
    except Exception:  # the answers review reports it; the verdicts stand without the answers
        split = None
    if split is not None:
        _apply_denials(items, catalog, split.questions, choice.path, choice.text)
    lap("verdicts")
    from verifier.answers.review import review_answers

    ticked = {m.item_id: m.entry.state for m in matches if m.item_id}
    try:
        questions = review_answers(view, choice.path, choice.text, edition.id, run.findings, ticked, split)
    except Exception as exc:  # the answers review failing never loses the verdicts
        questions = {
            "count": 0,
            "expected": None,
            "answered": 0,
            "words_counted_as": "",
            "structure": [{"line": None, "message": f"answers not reviewed: {exc!r}"[:300]}],
            "questions": [],
        }
    lap("answers")

    git = view.git
    remote = None
    if git is not None and git.remotes:
        remote = git.remotes.get("origin") or next(iter(git.remotes.values()))
    repository = RepositoryInfo(
        root=str(view.root),
        project_dir=view.project_dir,
        listed_via=view.via,
        files=len(view.files),
        commit=git.head if git else None,
        commit_date=git.head_date if git else None,
        branch=git.branch if git else None,
        remote=remote,
        authors=len(git.authors) if git else None,
        revision={
            "commit": git.head if git else None,
            "date": git.head_date if git else None,
            "chosen_by": revision.chosen_by if revision else "the working tree's tracked files",
        },
    )
    report_info = ReportInfo(
        path=choice.path,
        reason=choice.reason,
        edition=edition.id,
        edition_reason=edition.reason,
        items=len(checklist.entries),
        ticked=sum(1 for e in checklist.entries if e.state == TICKED),
        partial=sum(1 for e in checklist.entries if e.state == PARTIAL),
    )
    probes = [
        ProbeInfo(
            id=p.id,
            description=p.description,
            kinds=p.kinds,
            findings=sum(1 for f in run.findings if f.probe == p.id),
            seconds=round(run.timings.get(p.id, 0.0), 4),
        )
        for p in registry.probes
    ]
    status = _worktree_status(read_status, status_job, view.finish_parse_helper())
    lap("git and work tree")
    timings["total"] = round(sum(timings.values()), 4)
    return VerificationResult(
        uncommitted=status.uncommitted,
        untracked=status.untracked,
        repository=repository,
        report=report_info,
        catalog_source=catalog.source,
        items=items,
        findings=run.findings,
        probes=probes,
        probe_errors=[*registry.errors, *run.errors],
        notices=view.notices,
        timings=timings,
        view=view,
        catalog=catalog,
        questions=questions,
    )
