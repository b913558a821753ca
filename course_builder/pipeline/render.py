"""Stage 4: HTML and files. Blocks are rendered once per build; each target then wraps them in
the page shell with its own tracking adapter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from course_builder import __version__
from course_builder.context import BlockContext
from course_builder.diagnostics import Reporter
from course_builder.i18n import words
from course_builder.i18n.markup import mark_languages
from course_builder.i18n.runtime_messages import MESSAGES
from course_builder.minify import minified
from course_builder.model import Course
from course_builder.state import stateful_blocks
from course_builder.targets.base import RenderedContent, Resolved, Target

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
CORE_SCRIPTS = ("adapter.js", "i18n.js", "state.js", "collector.js", "journal.js", "tracker.js",
                "blocks.js", "nav.js")
#: The package's one script and one stylesheet: the runtime's files, the format's adapter and
#: the built-in plugins' files that the course uses, minified and joined in order. The bundled
#: course's first page became usable in about half the time once it loaded 3 files instead of
#: 30 (python -m benchmarks; in Chromium each file costs a request and a script evaluation
#: task before the page can start). Plugins from elsewhere (a course's ``plugins/`` folder, an
#: installed package) keep files of their own, loaded after the bundle, so a mistake in one
#: cannot stop the runtime; ``boot.js`` then comes last.
BUNDLE_JS = "assets/course.js"
BUNDLE_CSS = "assets/course.css"
#: Runtime files another one uses (the LRS queue takes its UUIDs from the collector's module).
RUNTIME_NEEDS = {"_lrs.js": ("collector.js",)}


def runtime_files(course: Course, target: Target) -> tuple[list[str], list[str]]:
    """The core and adapter scripts this package runs, in order: only what the format and the
    course use (no SCORM code in the web build, no LRS queue outside xAPI and cmi5, the
    evaluation collector's code only when the course names a collector or the format needs
    it). ``none.js`` is every adapter's fallback when no LMS answers."""
    adapters = ["none.js", *target.runtime_helpers]
    if target.runtime_adapter != "none":
        adapters.append(f"{target.runtime_adapter}.js")
    needed = {name for helper in adapters for name in RUNTIME_NEEDS.get(helper, ())}
    if course.config.evaluation.collector is not None:
        needed.add("collector.js")
    core = [name for name in CORE_SCRIPTS if name != "collector.js" or name in needed]
    return core, adapters


def bundle(sources: list[tuple[str, Path]], separator: str) -> bytes:
    """The files minified and joined, each after a comment naming it by the path it would have
    in the package on its own (``/* assets/runtime/tracker.js */``), so a learner's stack
    trace or a test can still tell the parts apart. The runtime's and plugins' scripts are each
    one function expression called at once; the ``;`` between them keeps one from being read
    as a call of the next."""
    parts = [f"/* {path} */\n".encode() + minified(source).strip() for path, source in sources]
    return separator.encode().join(parts) + b"\n"


def render_content(course: Course, reporter: Reporter) -> RenderedContent:
    """Every page's blocks as HTML and every block's data for its script, once for all
    formats. Problems found while rendering (a Markdown image that is missing) are reported at
    their own line."""
    env = course.environment
    assert env is not None
    state_index = {b.key: i for i, b in enumerate(stateful_blocks(course))}
    pages: list[Markup] = []
    blocks: list[dict[str, Any]] = []
    for page in course.pages:
        parts = []
        for block in page.blocks:
            ctx = BlockContext(block, course, env, reporter)
            html = block.render(ctx)
            parts.append(Markup('<div class="cb-block cb-block--{0}" data-block="{1}" '
                                'data-type="{0}">\n{2}\n</div>').format(block.type, block.key,
                                                                          html))
            data = block.client_data(ctx)
            if data or block.plugin.scripts:
                blocks.append({"key": block.key, "type": block.type, "page": page.number,
                               "maxScore": block.max_score, "data": data,
                               "stateIndex": state_index.get(block.key, -1)})
        pages.append(Markup("\n").join(parts))
    content = RenderedContent(pages, blocks)
    used = sorted({b.plugin.name: b.plugin for b in course.blocks}.items())
    for name, plugin in used:
        for script in plugin.scripts:
            path = f"assets/plugins/{name}/{script}"
            content.files[path] = plugin.folder / "static" / script
            content.plugin_scripts.append(path)
        for style in plugin.styles:
            path = f"assets/plugins/{name}/{style}"
            content.files[path] = plugin.folder / "static" / style
            content.plugin_styles.append(path)
        if plugin.origin == "built-in":
            content.built_in.update(
                f"assets/plugins/{name}/{file}" for file in (*plugin.scripts, *plugin.styles))
    content.files.update(env.assets.files)
    return content


def _json_for_html(data: Any) -> Markup:
    # "<" escaped so no author text can close the script element.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _messages(course: Course) -> dict[str, str]:
    """The English of every message the package's scripts ask for (``CB.t``, ``api.t``)."""
    declared = dict(MESSAGES)
    for plugin in {b.plugin.name: b.plugin for b in course.blocks}.values():
        declared.update({f"{plugin.name}.{key}": text for key, text in plugin.messages.items()})
    return declared


def render_package(resolved: Resolved, content: RenderedContent) -> dict[str, bytes]:
    """Every file of one package except its manifest: package path -> bytes."""
    course, target = resolved.course, resolved.target
    own = target.render_files(resolved, content)
    if own is not None:  # a format with its own layout (the handout)
        return own
    core, adapters = runtime_files(course, target)
    runtime = ([(f"assets/runtime/{name}", RUNTIME_DIR / "core" / name) for name in core]
               + [(f"assets/runtime/{name}", RUNTIME_DIR / "adapters" / name)
                  for name in adapters])
    boot = ("assets/runtime/boot.js", RUNTIME_DIR / "core" / "boot.js")
    other_scripts = [p for p in content.plugin_scripts if p not in content.built_in]
    bundled = [*runtime, *((p, content.files[p]) for p in content.plugin_scripts
                           if p in content.built_in)]
    files: dict[str, bytes] = {}
    scripts = [BUNDLE_JS, *other_scripts]
    if other_scripts:  # boot.js starts the course once every plugin has registered its blocks
        files[boot[0]] = minified(boot[1])
        scripts.append(boot[0])
    else:
        bundled.append(boot)
    files[BUNDLE_JS] = bundle(bundled, ";\n")
    files[BUNDLE_CSS] = bundle([("assets/theme.css", THEME_DIR / "theme.css"),
                                *((p, content.files[p]) for p in content.plugin_styles
                                  if p in content.built_in)], "\n")
    for path, source in content.files.items():
        if path in content.built_in:
            continue
        # other plugins' scripts and styles are minified; the author's files are copied
        files[path] = minified(source) if path.startswith("assets/plugins/") else \
            source.read_bytes()

    data = {**resolved.runtime_data, "blocks": content.blocks}
    env = course.environment
    assert env is not None
    template = env.jinja.get_template("page.html.j2")
    pages = list(zip(course.pages, content.pages, strict=True))
    html = template.render(
        course=course, config=course.config, pages=pages, modules=course.modules, scripts=scripts,
        styles=[BUNDLE_CSS, *(p for p in content.plugin_styles if p not in content.built_in)],
        course_json=_json_for_html(data), target=target, generator=__version__,
        messages_json=_json_for_html(words.js_messages(words.current(), _messages(course))),
        connect_src=resolved.connect_src,
    )
    files[target.launch_file] = mark_languages(html).encode("utf-8")
    statement = env.jinja.get_template("accessibility.html.j2").render(
        config=course.config, types=sorted({b.type for b in course.blocks}),
        page_count=len(course.pages), generator=__version__)
    files["accessibility.html"] = mark_languages(statement).encode("utf-8")
    return files
