"""The pages around the documents: home, persons, places, timeline, editorial principles.

All pages come from jinja2 templates (autoescape on). An edition overrides any template by putting
a file of the same name in its `[html] templates` folder (a ChoiceLoader tries that folder first).
Every link is relative (`root` is "" for top-level pages, "../" one level down), so the site works
opened from disk.
"""

from __future__ import annotations

import re
import traceback
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, Template, TemplateError,
                    TemplateSyntaxError, select_autoescape)
from markdown_it import MarkdownIt
from markupsafe import Markup

from edition.corpus import MONTHS, Corpus, Document, format_date
from edition.registers import Entity
from edition.diagnostics import EditionError, display_path, error
from edition.resources import templates_dir

AUTHORITY_URLS = {
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "gnd": "https://d-nb.info/gnd/{}",
    "geonames": "https://www.geonames.org/{}",
    "lcnaf": "https://id.loc.gov/authorities/names/{}",
}


def hue(person_id: str) -> int:
    """The colour of a person's turns: the same hash as h:hue in xslt/html/util.xsl."""
    h = 0
    for c in person_id:
        h = (h * 33 + ord(c)) % 1000003
    return h % 12 * 30


TEMPLATE_HINT = "fix the template in the [html] templates folder (the built-in ones are in edition/templates/)"


class EditionTemplate(Template):
    """A template whose errors while rendering (an undefined name, a failing filter) stop the build
    with the template's file and line, not a traceback."""

    def render(self, *args, **kwargs) -> str:
        try:
            return super().render(*args, **kwargs)
        except TemplateError as exc:
            raise template_error(exc, self.filename) from None


def template_error(exc: TemplateError, filename: str | None) -> EditionError:
    line = getattr(exc, "lineno", None) or 0
    where = getattr(exc, "filename", None) or filename or "?"
    if not line:  # a runtime error: jinja2 rewrites the traceback so that its frames are the template's lines
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
        if frames:
            where, line = frames[-1].filename, frames[-1].lineno or 0
    problem = error(where, f"template error: {exc.message or type(exc).__name__}", "html.template", line=line,
                    hint=TEMPLATE_HINT)
    return EditionError(f"{display_path(where)}:{line}: template error: {exc.message}", diagnostics=[problem],
                        hint=TEMPLATE_HINT)


def environment(config) -> Environment:
    loaders = []
    project = None
    if config.html.templates:
        project = config.resolve(config.html.templates)
        if not project.is_dir():
            raise EditionError(f"{project}: the [html] templates folder does not exist",
                               hint="fix 'html.templates' in edition.toml or create the folder")
        loaders.append(FileSystemLoader(str(project)))
    loaders.append(FileSystemLoader(str(templates_dir())))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.template_class = EditionTemplate
    env.filters["hue"] = hue
    env.filters["date"] = format_date
    env.filters["date_in_month"] = date_in_month
    env.filters["groupby_year"] = by_year
    env.filters["initials"] = keep_initials
    env.filters["paragraph_label"] = lambda anchor: anchor[1:] if re.fullmatch(r"p\d+", anchor) else anchor
    env.globals["authority_url"] = authority_url
    if project is not None:
        check_templates(env, project)
    return env


def check_templates(env: Environment, folder: Path) -> None:
    """Compile every template of the edition's own folder before any page is written, and report all
    the syntax errors at once."""
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = path.relative_to(folder).as_posix()
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.append(error(exc.filename or path, f"template error: {exc.message}", "html.template",
                                  line=exc.lineno or 0, hint=TEMPLATE_HINT))
        except UnicodeDecodeError:
            problems.append(error(path, "template error: the file is not UTF-8", "html.template",
                                  hint="save it as UTF-8"))
    if problems:
        raise EditionError(f"{len(problems)} template(s) in {display_path(folder)} cannot be used",
                           diagnostics=problems, hint=TEMPLATE_HINT)


# an initial (a capital and a full stop, after a space or at the start) before a capitalised word
INITIAL = re.compile(r"(?<![^\s(])([^\W\d_])\. +(?=([^\W\d_]))")


def keep_initials(text: str) -> str:
    """No-break spaces after initials ("J. V. Stalin"), as html.xsl's h:initials gives the documents."""
    return INITIAL.sub(lambda m: f"{m.group(1)}.\u00a0" if m.group(1).isupper() and m.group(2).isupper() else m.group(0),
                       text)


def by_year(documents: list[Document]) -> list[tuple[str, list[Document]]]:
    """Documents (in date order) grouped by their year; the undated ones (year "") last."""
    groups: dict[str, list[Document]] = {}
    for doc in documents:
        groups.setdefault(doc.info.year, []).append(doc)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def authority_url(kind: str, value: str) -> str:
    """Link for an authority record; only http(s) values or known registries become links."""
    if value.startswith(("https://", "http://")):
        return value
    template = AUTHORITY_URLS.get(kind.lower())
    return template.format(value) if template and value.replace("-", "").isalnum() else ""


def introduction_html(corpus: Corpus) -> Markup:
    """The Markdown introduction ([edition] introduction), raw HTML disabled."""
    name = corpus.config.edition.introduction
    if not name:
        return Markup("")
    path = corpus.config.resolve(name)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(f"{display_path(path)}: the introduction is not UTF-8 (byte {exc.start})",
                           hint="save it as UTF-8 ('edition.introduction' in edition.toml)") from None
    except OSError as exc:
        raise EditionError(f"{display_path(path)}: cannot read the introduction: {exc.strerror}",
                           hint="fix 'edition.introduction' in edition.toml") from None
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    # markdown-it already refuses javascript: links (validateLink); HTML is escaped, not passed.
    return Markup(md.render(text))


@dataclass(slots=True)
class Appearance:
    """A document in which a register entry appears, and how. (Slots, and the roles said when a
    page shows them: at 10,000 documents the index pages hold 150,000 of these at once, which took
    50 MB of the build's process with a dict and a list of role names each.)"""

    doc: Document
    page: str
    participant: bool = False
    turns: int = 0
    mentions: int = 0

    @property
    def roles(self) -> list[str]:
        turns = f"speaks ({self.turns} turn{'s' if self.turns != 1 else ''})"
        return [role for role, on in (("takes part", self.participant), (turns, self.turns),
                                      (f"mentioned ({self.mentions}×)", self.mentions)) if on]


def appearances(corpus: Corpus, pages: dict[str, str]) -> dict[str, list[Appearance]]:
    """Register id -> the documents it takes part in, speaks in or is mentioned in (date order)."""
    table: dict[str, dict[str, Appearance]] = defaultdict(dict)
    for doc in corpus.documents:
        info = doc.info
        ids = set(info.participants) | set(info.speakers) | set(info.persons_mentioned) | set(info.places_mentioned)
        for entity_id in ids:
            table[entity_id][doc.id] = Appearance(
                doc=doc, page=pages[doc.id], participant=entity_id in info.participants,
                turns=info.speakers.get(entity_id, 0),
                mentions=info.persons_mentioned.get(entity_id, 0) + info.places_mentioned.get(entity_id, 0))
    return {k: list(v.values()) for k, v in table.items()}


def alphabetical(entities: dict[str, Entity]) -> list[tuple[str, list[Entity]]]:
    """Entries grouped by the first letter of their sort key (surname first for persons)."""
    groups: dict[str, list[Entity]] = defaultdict(list)
    for entity in sorted(entities.values(), key=lambda e: e.sort_key):
        letter = (entity.sort_key[:1] or "#").upper()
        groups[letter if letter.isalpha() else "#"].append(entity)
    return sorted(groups.items())


@dataclass
class Bar:
    month: str  # "1941-12"
    label: str
    count: int
    x: float
    y: float
    height: float
    tick: str = ""  # the axis label under the bar, if any
    anchor: str = "middle"


def chart_width(months: int) -> int:
    """The timeline's width in its own units: 60 a month, from 240 to 720. A few months make a narrow
    chart, which a phone shows whole at about its real size (a 720-wide one, scrolled sideways, would
    show a single bar off the screen); many months take the full 720, which a phone scrolls."""
    return min(720, max(240, 60 * months))


def timeline(corpus: Corpus, width: int | None = None, height: int = 160) -> tuple[list[Bar], dict[str, list[Document]]]:
    """Bars for every month from the first dated document to the last (empty months included);
    `width`: that of the chart (chart_width of the months, by default)."""
    by_month: dict[str, list[Document]] = defaultdict(list)
    for doc in corpus.documents:
        if len(doc.info.month) == 7:
            by_month[doc.info.month].append(doc)
    if not by_month:
        return [], {}
    first, last = min(by_month), max(by_month)
    months, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    peak = max(len(v) for v in by_month.values())
    width = width or chart_width(len(months))
    step = width / len(months)
    top, base = 20, height - 25  # room for the count above the tallest bar, and for the axis labels
    bars = []
    for i, month in enumerate(months):
        count = len(by_month.get(month, []))
        h = (base - top) * count / peak if count else 0
        bars.append(Bar(month, format_date(month), count, round(i * step, 2), round(base - h, 2), round(h, 2)))
    label_axis(bars)
    return bars, dict(sorted(by_month.items()))


def date_in_month(doc: Document) -> str:
    """A document's date under its month's heading in the timeline, without the month and year the
    heading already gives ("18 December" under "December 1941"; nothing for a document dated only by
    the month); a range that leaves the month keeps its full form."""
    info = doc.info
    if info.date_to or len(info.date) != 10:
        return "" if len(info.date) == 7 and not info.date_to else info.date_display
    return format_date(info.date).rsplit(" ", 1)[0]


def label_axis(bars: list[Bar]) -> None:
    """Every month when there are few; else the years (at January) and the first and last months,
    unless a year's label stands too close to them."""
    short = lambda b: f"{MONTHS[int(b.month[5:]) - 1][:3]} {b.month[:4]}"
    if len(bars) <= 12:
        for bar in bars:
            bar.tick = short(bar)
        return
    years = [i for i, bar in enumerate(bars) if bar.month.endswith("-01")]
    for i in years:
        bars[i].tick = bars[i].month[:4]
    for i, anchor in ((0, "start"), (len(bars) - 1, "end")):
        if all(abs(i - y) >= 5 for y in years):
            bars[i].tick, bars[i].anchor = short(bars[i]), anchor


def write(path: Path, text: str) -> None:
    """A page into a new folder (not atomic: the folder is stored complete, Cache.move_tree); its
    folder made only when missing (a site has thousands of pages in a few folders)."""
    try:
        handle = open(path, "w", encoding="utf-8")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "w", encoding="utf-8")
    with handle:
        handle.write(text)
