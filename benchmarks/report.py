"""The benchmark's tables (stdout) and its verdicts on the targets of issue 12."""

from __future__ import annotations

from typing import Any

KIB = 1024
#: A marginal cost per page that grows by more than this between sizes is not "flat".
FLAT_GROWTH = 1.25
BUNDLED = "bundled"
LARGE = "1000 pages"
QUIZ = "900-question quiz"


# --------------------------------------------------------------------------- formatting


def secs(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def kib(value: float | None) -> str:
    return "-" if value is None else f"{value / KIB:.1f}"


def ratio(value: float | None, floor: float | None) -> str:
    if value is None or not floor:
        return "-"
    return f"{value / floor:.1f}x"


def table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    """A plain-text table; columns in ``right`` (default: all but the first) align right."""
    right = set(range(1, len(header))) if right is None else right
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


# --------------------------------------------------------------------------- figures


def cold_floor(results: dict[str, Any], course: str, fset: str = "all",
               cpu: bool = False) -> float | None:
    """Start-up plus imports (new process) plus writing the same zips (wall, or CPU)."""
    entry = results.get("courses", {}).get(course, {}).get(fset)
    if not entry:
        return None
    key = "cpu_median" if cpu else "median"
    return results["floor"]["imports"][key] + entry["zip_floor"][key]


def warm_floor(results: dict[str, Any], course: str, fset: str = "all",
               cpu: bool = False) -> float | None:
    entry = results.get("courses", {}).get(course, {}).get(fset)
    return entry["zip_floor"]["cpu_median" if cpu else "median"] if entry else None


def _get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def growth(results: dict[str, Any], kind: str = "cold") -> list[dict[str, Any]]:
    """Per generated size (all formats): CPU seconds of the cold or warm build, ms per page,
    and the marginal ms per page added since the previous size. CPU time, because wall time
    on a busy machine makes the differences between sizes meaningless."""
    rows = []
    sizes = sorted((c["pages"], key) for key, c in results.get("courses", {}).items()
                   if key.endswith(" pages") and "all" in c)
    previous = None
    for pages, key in sizes:
        entry = results["courses"][key]["all"]
        seconds = (entry["cold"]["cpu_median"] if kind == "cold"
                   else entry["warm"]["warm"]["cpu_median"])
        row = {"course": key, "pages": pages, "seconds": seconds,
               "ms_per_page": seconds * 1000 / pages, "marginal_ms_per_page": None}
        if previous is not None and pages > previous["pages"]:
            row["marginal_ms_per_page"] = ((seconds - previous["seconds"]) * 1000
                                           / (pages - previous["pages"]))
        rows.append(row)
        previous = row
    return rows


def flatness(rows: list[dict[str, Any]]) -> float | None:
    """The last marginal cost per page over the first one (1.0 = perfectly linear)."""
    marginal = [r["marginal_ms_per_page"] for r in rows if r["marginal_ms_per_page"]]
    if len(marginal) < 2 or marginal[0] <= 0:
        return None
    return marginal[-1] / marginal[0]


# --------------------------------------------------------------------------- targets


def _verdict(value: float | None, limit: float, why_missing: str,
             cpu: float | None = None) -> str:
    """pass / FAIL on the (wall) figure; a FAIL whose CPU time passes says so, since a busy
    machine inflates wall time and not (much) CPU time."""
    if value is None:
        return f"not measured ({why_missing})"
    if value < limit:
        return "pass"
    if cpu is not None and cpu < limit:
        return "FAIL on wall time (CPU time passes: busy machine?)"
    return "FAIL"


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with its figure, its floor and pass / FAIL / not measured."""
    out = []

    def add(name: str, figure: str, floor: str, verdict: str, value: Any = None) -> None:
        out.append({"target": name, "figure": figure, "floor": floor, "result": verdict,
                    "value": value})

    cold = _get(results, "courses", BUNDLED, "all", "cold", "median")
    cpu = _get(results, "courses", BUNDLED, "all", "cold", "cpu_median")
    floor = cold_floor(results, BUNDLED, cpu=True)
    add("cold build, bundled course, every format < 0.5 s",
        f"{secs(cold)}, CPU {secs(cpu)} ({ratio(cpu, floor)} floor)", secs(floor),
        _verdict(cold, 0.5, "no bundled build", cpu), cold)

    edit = _get(results, "courses", BUNDLED, "all", "warm", "edit", "median")
    cpu = _get(results, "courses", BUNDLED, "all", "warm", "edit", "cpu_median")
    floor = warm_floor(results, BUNDLED, cpu=True)
    add("warm rebuild after a one-file edit, bundled, every format < 150 ms",
        f"{secs(edit)}, CPU {secs(cpu)} ({ratio(cpu, floor)} floor)", secs(floor),
        _verdict(edit, 0.150, "no bundled build", cpu), edit)

    big = _get(results, "courses", LARGE, "all", "cold", "median")
    cpu = _get(results, "courses", LARGE, "all", "cold", "cpu_median")
    floor = cold_floor(results, LARGE, cpu=True)
    add("1,000 pages, every format, cold < 5 s",
        f"{secs(big)}, CPU {secs(cpu)} ({ratio(cpu, floor)} floor)",
        secs(floor), _verdict(big, 5.0, "needs the 1,000-page course", cpu), big)

    rows = growth(results)
    flat = flatness(rows) if any(r["pages"] >= 1000 for r in rows) else None
    marginal = ", ".join(f"{r['marginal_ms_per_page']:.1f}" for r in rows
                         if r["marginal_ms_per_page"] is not None)
    add(f"flat ms/page 10 -> 100 -> 1,000 (cold CPU; marginal grows < {FLAT_GROWTH}x)",
        f"{marginal} ms/page ({flat:.2f}x)" if flat is not None else marginal or "-", "1.00x",
        _verdict(flat, FLAT_GROWTH, "needs sizes 10, 100 and 1000"), flat)

    quiz = _get(results, "courses", QUIZ, "all", "cold", "median")
    cpu = _get(results, "courses", QUIZ, "all", "cold", "cpu_median")
    floor = cold_floor(results, QUIZ, cpu=True)
    add("900-question quiz, every format, cold < 2 s",
        f"{secs(quiz)}, CPU {secs(cpu)} ({ratio(cpu, floor)} floor)", secs(floor),
        _verdict(quiz, 2.0, "needs the quiz course: run without --quick", cpu), quiz)

    shipped = _get(results, "courses", BUNDLED, "all", "packages")
    worst = max(shipped, key=lambda p: p["js_css_bytes"]) if shipped else None
    add("runtime + plugin JS and CSS < 40 KiB per package (bundled)",
        f"{kib(worst['js_css_bytes'])} KiB ({worst['format']})" if worst else "-", "-",
        _verdict(worst["js_css_bytes"] if worst else None, 40 * KIB, "no bundled build"),
        worst["js_css_bytes"] if worst else None)

    browser = results.get("browser", {})
    first = {k: v for k, v in browser.get("first_page", {}).items() if v.get("course") == BUNDLED}
    why = _browser_missing(browser)
    slowest = max(first.items(), key=lambda kv: kv[1]["painted_ms"]) if first else None
    add("first page visible and interactive < 250 ms (bundled; slowest case)",
        f"{ms(slowest[1]['painted_ms'])} ({slowest[0]})" if slowest else "-", "-",
        _verdict(slowest[1]["painted_ms"] if slowest else None, 250, why),
        slowest[1]["painted_ms"] if slowest else None)

    walks = browser.get("walks", {})
    most = max((w["max_commits_in_a_page_change"] for w in walks.values()), default=None)
    add("at most one commit per page change (full walk, SCORM 1.2 and 2004)",
        f"{most} at most" if most is not None else "-", "-",
        _verdict(most, 2, why if why != "-" else "run without --quick"), most)
    return out


def _browser_missing(browser: dict[str, Any]) -> str:
    if "missing" in browser:
        return "missing: " + "; ".join(browser["missing"]) + "; run scripts/test to install"
    if "failed" in browser:
        return "browser run failed: " + browser["failed"].splitlines()[0]
    if "skipped" in browser:
        return "skipped: " + browser["skipped"]
    return "-"


# --------------------------------------------------------------------------- the report


def render(results: dict[str, Any]) -> str:
    parts = [_machine(results), _builds(results), _growth(results), _packages(results),
             _browser(results), _targets(results)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _machine(results: dict[str, Any]) -> str:
    m = results["machine"]
    floor = results.get("floor", {})
    start, imports = _get(floor, "python", "median"), _get(floor, "imports", "median")
    load = "/".join(f"{x:.2f}" for x in m["load_before"][:1] + m.get("load_after", [])[:1])
    busy = max(m["load_before"][:1] + m.get("load_after", [])[:1]) > (m["cores"] or 1)
    return "\n".join([
        *(["WARNING: the machine was busy (load average above its core count): wall times "
           "are inflated; the CPU columns are the steadier figures."] if busy else []),
        "course_builder benchmark",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['system']}, Python {m['python']}; "
        f"course_builder {m['course_builder']} ({m['commit'] or 'no git'}); "
        f"load average before/after {load}; {results.get('seconds', 0):.0f} s in all",
        f"formats: all = {', '.join(results.get('formats', []))}",
        f"floor: Python start-up {secs(start)}; start-up + import jinja2, lxml.etree, click "
        f"{secs(imports)} (new process, median of {len(floor.get('imports', {}).get('wall', []))});"
        " plus writing the same zips (same bytes and compression), per row below",
    ])


def _builds(results: dict[str, Any]) -> str:
    rows = []
    for key, course in results.get("courses", {}).items():
        for fset, entry in course.items():
            if not isinstance(entry, dict) or "cold" not in entry:
                continue
            cold = entry["cold"]
            warm = entry.get("warm", {})
            cf = cold_floor(results, key, fset, cpu=True)
            wf = warm_floor(results, key, fset, cpu=True)
            w, e = _get(warm, "warm", "median"), _get(warm, "edit", "median")
            label = f"all ({len(entry['formats'])})" if fset == "all" else fset
            rows.append([
                key if fset == "all" else "", str(course["pages"]), label,
                secs(cold["median"]), secs(cold.get("cpu_median")), secs(cf),
                ratio(cold.get("cpu_median"), cf), secs(w),
                secs(_get(warm, "warm", "cpu_median")), secs(e),
                secs(_get(warm, "edit", "cpu_median")), secs(wf),
                ratio(_get(warm, "edit", "cpu_median"), wf),
                f"{cold.get('maxrss_kib_max', 0) / KIB:.0f}",
                f"{(warm.get('tracemalloc_peak') or 0) / KIB / KIB:.0f}",
                f"{len(cold['wall'])}/{len(_get(warm, 'warm', 'runs') or [])}",
            ])
    head = ["course", "pages", "formats", "cold", "cpu", "floor", "x", "warm", "cpu", "edit",
            "cpu", "floor", "x", "RSS MiB", "traced MiB", "runs"]
    return ("Build time: cold = `course-builder build` in a new process (median wall, its CPU "
            "time, peak RSS);\nwarm = in-process rebuild after one build; edit = after changing "
            "one module.yaml (median wall, CPU);\nfloor = CPU time of start-up + imports + "
            "writing the same zips (cold) or of writing the zips (warm); x = CPU over floor\n"
            + table(head, rows, set(range(1, len(head))) - {2}))


def _growth(results: dict[str, Any]) -> str:
    cold, warm = growth(results, "cold"), growth(results, "warm")
    if not cold:
        return ""
    rows = []
    def marginal(row: dict[str, Any]) -> str:
        value = row["marginal_ms_per_page"]
        return "-" if value is None else f"{value:.2f}"

    for c, w in zip(cold, warm, strict=True):
        rows.append([c["course"], secs(c["seconds"]), f"{c['ms_per_page']:.2f}", marginal(c),
                     secs(w["seconds"]), f"{w['ms_per_page']:.2f}", marginal(w)])
    flat_c, flat_w = flatness(cold), flatness(warm)
    note = ("" if flat_c is None else
            f"\nmarginal ms/page, last over first: cold {flat_c:.2f}x, warm {flat_w:.2f}x "
            "(1.00x = linear)")
    head = ["generated course", "cold CPU", "ms/page", "marginal", "warm CPU", "ms/page",
            "marginal"]
    return ("Growth (every format together, CPU time; marginal = ms per page added since the "
            "previous size)\n" + table(head, rows) + note)


def _packages(results: dict[str, Any]) -> str:
    rows = []
    for key, course in results.get("courses", {}).items():
        order = results.get("formats", [])
        found = sorted(_get(course, "all", "packages") or [],
                       key=lambda p: order.index(p["format"]) if p["format"] in order else 99)
        for n, p in enumerate(found):
            rows.append([key if n == 0 else "", p["format"], kib(p["zip_bytes"]), str(p["files"]),
                         kib(p["js_bytes"]), kib(p["css_bytes"]), kib(p["js_css_bytes"]),
                         kib(p["html_bytes"]), f"{p['largest_file']} {kib(p['largest_bytes'])}"])
    head = ["course", "format", "zip KiB", "files", "JS KiB", "CSS KiB", "JS+CSS", "HTML KiB",
            "largest file (KiB)"]
    return ("Packages (JS and CSS: uncompressed bytes shipped in the zip)\n"
            + table(head, rows, {2, 3, 4, 5, 6, 7}))


def _browser(results: dict[str, Any]) -> str:
    browser = results.get("browser", {})
    why = _browser_missing(browser)
    if why != "-":
        return f"Browser (headless Chromium): NOT MEASURED, {why}"
    rows = []
    for label, f in browser.get("first_page", {}).items():
        runs = f["runs"].get("painted", [])
        rows.append([label, ms(f.get("painted_ms")), ms(f.get("fcp_ms")), ms(f.get("dcl_ms")),
                     f"{f.get('requests') or 0:.0f}", ms(f.get("lastRequest_ms")),
                     ms(f.get("sinceTop_ms")) if f.get("lms") else "-",
                     f"{min(runs):.0f}-{max(runs):.0f}" if runs else "-", str(len(runs))])
    head = ["first page", "usable", "FCP", "DCL", "requests", "last request", "LMS before",
            "range", "runs"]
    text = ("Browser, first page: ms from the course page's navigation start until its h1 is "
            "shown and Next is enabled\nwith a click handler (medians; FCP = first contentful "
            "paint; DCL = DOMContentLoaded done; requests = files\nloaded by then, the last "
            "ending at 'last request'; LMS before = the LMS page's own time before the course "
            "frame started)\n"
            + table(head, rows))
    walks = browser.get("walks", {})
    if walks:
        rows = []
        for fmt, w in walks.items():
            calls = ", ".join(f"{k} {v}" for k, v in w["by_method"].items())
            rows.append([fmt, str(w["pages"]), str(w["calls"]), str(w["commits"]),
                         str(w["max_commits_in_a_page_change"]), f"{w['commits_per_page']:.2f}",
                         str(w["largest_suspend_data"]), calls])
        head = ["full walk", "pages", "calls", "commits", "max/page change", "commits/page",
                "suspend max", "calls by method"]
        text += ("\n\nLMS calls in a full walk of the bundled course (scorm-again; commits/page "
                 "counts every commit, answers included)\n" + table(head, rows, {1, 2, 3, 4, 5, 6}))
        problems = [f"{fmt}: {w['errors'][:3]} {w['page_errors'][:3]} {w['console_errors'][:3]}"
                    for fmt, w in walks.items()
                    if w["errors"] or w["page_errors"] or w["console_errors"]]
        if problems:
            text += "\nerrors during the walk: " + "; ".join(problems)
    else:
        text += "\n\nLMS walks: not run (--quick)"
    return text


def _targets(results: dict[str, Any]) -> str:
    rows = [[t["target"], t["figure"], t["floor"], t["result"]] for t in results["targets"]]
    return ("Targets (issue 12): judged on the median wall time; floors and ratios in CPU time\n"
            + table(["target", "figure", "floor (CPU)", "result"], rows, set()))
