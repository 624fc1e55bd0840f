"""``overview.html``: one self-contained page for a cohort.

A groups-by-items matrix coloured by verdict (click a header to sort), each cell linking to
its evidence further down the page, and above each item a bar of how many groups ticked it and
how many of those ticks are supported. Every piece of student text is HTML-escaped; the page
loads nothing from anywhere (a Content-Security-Policy forbids it) and its only script sorts.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

# Each verdict has a symbol as well as a colour, so the matrix reads without colour vision
# (and in print); the colours are from the Okabe-Ito palette, distinct for colour-blind readers.
ABBREVIATIONS = {
    "supported": "✓",
    "weak": "~",
    "unsupported": "✗",
    "contradicted": "!",
    "not-verifiable": "?",
    "no-probe-yet": "·",
    "evidence-not-claimed": "+",
    "not-claimed": "",
    "unmatched": "",
}
MEANINGS = {
    "supported": "ticked, with strong evidence",
    "weak": "ticked, only a hint of evidence",
    "unsupported": "ticked, nothing supports it (flagged)",
    "contradicted": "ticked, the repository contradicts it (flagged)",
    "not-verifiable": "ticked, a repository cannot show it",
    "no-probe-yet": "ticked, no probe looks for its evidence",
    "evidence-not-claimed": "not ticked, yet strong evidence exists",
}
RANK = {
    v: i
    for i, v in enumerate(
        [
            "contradicted",
            "unsupported",
            "weak",
            "no-probe-yet",
            "not-verifiable",
            "supported",
            "evidence-not-claimed",
            "not-claimed",
            "unmatched",
        ]
    )
}

STYLE = """
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:20px;margin:0 0 4px}
.scroll{overflow:auto;max-width:100%;max-height:85vh;border:1px solid #ccc}
table{border-collapse:separate;border-spacing:0}
th,td{border-right:1px solid #ddd;border-bottom:1px solid #ddd;padding:2px 4px;text-align:center}
thead th,thead td{background:#f4f4f4;position:sticky;z-index:2}
thead tr:first-child th{top:0}
thead tr.bars td{top:158px}
th{cursor:pointer}
th.item{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;height:150px;font-weight:normal}
.sticky{position:sticky;left:0;z-index:1;background:#fff;text-align:left;white-space:nowrap;min-width:14em}
thead .sticky{z-index:3;background:#f4f4f4}
td.group small{color:#555;display:block;max-width:22em;overflow:hidden;text-overflow:ellipsis}
td a{color:inherit;text-decoration:none;display:block;min-width:1.2em}
.v-supported{background:#b9e3d3}.v-weak{background:#f6ec9b}.v-unsupported{background:#f2b38a;font-weight:bold}
.v-contradicted{background:#8f3b76;color:#fff;font-weight:bold}.v-not-verifiable{background:#cde6f7}
.v-no-probe-yet{background:#eee}
.v-evidence-not-claimed{background:#fff;outline:2px dashed #0072b2;outline-offset:-3px}
.bar{width:22px;height:60px;background:#f4f4f4;position:relative;margin:auto}
.bar span{position:absolute;bottom:0;left:0;width:100%}
.bar .ticked{background:#90a4ae}.bar .supported{background:#009e73}
.legend span{display:inline-block;padding:1px 6px;margin:0 4px 4px 0;border:1px solid #ccc}
.error{color:#b71c1c}
section{margin:10px 0;padding-top:6px;border-top:1px solid #eee}
.ev{color:#555;font-family:ui-monospace,monospace;font-size:12px}
"""

SCRIPT = """
document.querySelectorAll('th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () {
    var col = +th.dataset.col, body = document.querySelector('#matrix tbody');
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
      var nx = parseFloat(x), ny = parseFloat(y);
      if (!isNaN(nx) && !isNaN(ny)) { return dir * (nx - ny); }
      return dir * String(x).localeCompare(String(y));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _anchor(*parts: str) -> str:
    return "-".join("".join(c if c.isalnum() else "_" for c in p) for p in parts)


def write_overview(records: list[dict], out: Path) -> Path:
    results = {}
    for record in records:
        if record.get("status") == "ok" and record.get("result"):
            try:
                results[record["group"]] = json.loads((out / record["result"]).read_text("utf-8"))
            except (OSError, ValueError):
                continue
    page = render_overview(records, results)
    target = out / "overview.html"
    target.write_text(page, encoding="utf-8")
    return target


def render_overview(records: list[dict], results: dict[str, dict]) -> str:
    from verifier.catalog import load_catalog

    catalog_items = load_catalog().items
    order = {item.id: index for index, item in enumerate(catalog_items)}
    seen = {item["id"] for data in results.values() for item in data["items"]}
    items = sorted(seen, key=lambda item_id: (order.get(item_id, len(order)), item_id))
    ticked = dict.fromkeys(items, 0)
    supported = dict.fromkeys(items, 0)
    for data in results.values():
        for item in data["items"]:
            if item["ticked"]:
                ticked[item["id"]] += 1
                supported[item["id"]] += item["verdict"] == "supported"
    n = max(len(results), 1)
    e = escape
    titles = {item.id: item.title for item in catalog_items}
    fixed = ["flagged", "beyond checklist", "answer findings"]
    head = ['<th class="sticky" data-col="0">group, repository, students</th>']
    head += [f'<th class="item" data-col="{i + 1}">{e(name)}</th>' for i, name in enumerate(fixed)]
    head += [
        f'<th class="item" data-col="{i + 1 + len(fixed)}" title="{e(titles.get(item, item))}">{e(item)}</th>'
        for i, item in enumerate(items)
    ]
    bars = ['<td class="sticky">ticked / supported</td>'] + ["<td></td>"] * len(fixed)
    for item in items:
        t, s = ticked[item], supported[item]
        bars.append(
            f'<td title="{t} of {len(results)} groups ticked it, {s} supported">'
            f'<div class="bar"><span class="ticked" style="height:{100 * t // n}%"></span>'
            f'<span class="supported" style="height:{100 * s // n}%"></span></div>{t}/{s}</td>'
        )
    rows = []
    for record in records:
        group = record["group"]
        data = results.get(group)
        if data is None:
            continue
        verdicts = {item["id"]: item for item in data["items"]}
        flagged = len(data["summary"]["flagged"])
        beyond = len(data.get("beyond_checklist") or [])
        answers = sum(len(q.get("findings", [])) for q in (data.get("questions") or {}).get("questions", []))
        students = ", ".join(record.get("student_names") or [])
        cells = [
            f'<td class="group sticky" data-sort="{e(group)}"><a href="#{_anchor("g", group)}">{e(group)}</a>'
            f"<small>{e(repository_name(record.get('repo', '')))}</small>"
            + (f"<small>{e(students)}</small>" if students else "")
            + "</td>",
            f'<td data-sort="{flagged}">{flagged}</td>',
            f'<td data-sort="{beyond}">{beyond or ""}</td>',
            f'<td data-sort="{answers}">{answers or ""}</td>',
        ]
        for item_id in items:
            item = verdicts.get(item_id)
            if item is None:
                cells.append('<td data-sort="99"></td>')
                continue
            verdict = item["verdict"]
            mark = ABBREVIATIONS.get(verdict, "")
            title = f"{item_id}: {verdict} - {item['reason']}"
            cells.append(
                f'<td class="v-{e(verdict)}" data-sort="{RANK.get(verdict, 50)}" title="{e(title)}">'
                f'<a href="#{_anchor("e", group, item_id)}">{e(mark) or "&nbsp;"}</a></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    failed = [r for r in records if r.get("status") != "ok"]
    failures = "".join(
        f'<li><b>{e(r["group"])}</b> ({e(r["repo"])}): <span class="error">{e(r.get("reason", ""))}'
        "</span></li>"
        for r in failed
    )
    details = "".join(_group_details(group, results[group]) for group in results)
    legend = (
        "".join(
            f'<span class="v-{e(v)}">{e(a)} {e(v)}: {e(MEANINGS[v])}</span>'
            for v, a in ABBREVIATIONS.items()
            if a
        )
        + "<span>blank: not ticked</span>"
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>Cohort overview</title><style>{STYLE}</style></head><body>"
        f"<h1>Cohort overview</h1><p>{len(results)} groups verified, {len(failed)} failed. "
        "Cells: ticked items by verdict; click a cell for its evidence, a header to sort.</p>"
        f'<p class="legend">{legend}</p>'
        f'<div class="scroll"><table id="matrix"><thead><tr>{"".join(head)}</tr>'
        f'<tr class="bars">{"".join(bars)}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        + (f"<h2>Groups that could not be verified</h2><ul>{failures}</ul>" if failed else "")
        + f"<h2>Evidence</h2>{details}<script>{SCRIPT}</script></body></html>\n"
    )


def repository_name(repo: str) -> str:
    """``owner/name`` of a repository URL (never its credentials), or a local folder's name."""
    path = repo.split("://", 1)[-1]
    if "://" not in repo and ":" in path and "@" in path.split(":", 1)[0]:
        path = path.split(":", 1)[1]  # git@host:owner/name
    elif "://" in repo:
        path = path.split("/", 1)[1] if "/" in path else ""
    parts = [p for p in path.removesuffix("/").removesuffix(".git").split("/") if p]
    return "/".join(parts[-2:])


def _group_details(group: str, data: dict) -> str:
    e = escape
    repo = data["repository"]
    parts = [
        f'<section id="{_anchor("g", group)}"><h3>{e(group)}</h3>'
        f"<p>report {e(data['report']['path'])}, edition {e(data['report']['edition'])}, commit "
        f"{e(str(repo.get('commit') or '')[:10])} ({e(repo['revision']['chosen_by'])})</p><ul>"
    ]
    for item in data["items"]:
        if not item["ticked"] and item["verdict"] != "evidence-not-claimed":
            continue
        evidence = "".join(
            f'<li class="ev">{e(ev["role"])}: {e(ev["path"] or "(repository)")}'
            f"{':' + str(ev['line']) if ev['line'] else ''} {e(ev['snippet'])}</li>"
            for ev in item["evidence"][:4]
        )
        parts.append(
            f'<li id="{_anchor("e", group, item["id"])}"><b>{e(item["id"])}</b> '
            f'<span class="v-{e(item["verdict"])}">{e(item["verdict"])}</span> {e(item["reason"])}'
            f"<ul>{evidence}</ul></li>"
        )
    parts.append("</ul></section>")
    return "".join(parts)
