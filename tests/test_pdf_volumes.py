"""The print edition in volumes ([pdf] volume_size): a generated edition of 6 documents in volumes
of 2, built by `edition build`; each volume's title page, contents and indexes read back with pypdf.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pypdf
import pytest

from tests.helpers import build_edition, changed, check_links, documents, generate, snapshot


def run(folder: Path, **options):
    return build_edition(folder, **options)[0]

VOLUMES = ["edition-volume-01.pdf", "edition-volume-02.pdf", "edition-volume-03.pdf"]


def set_volume_size(folder: Path, size: int) -> None:
    toml = folder / "edition.toml"
    text = re.sub(r"\n\[pdf\]\nvolume_size = -?\d+\n", "\n", toml.read_text(encoding="utf-8"))
    toml.write_text(text + f"\n[pdf]\nvolume_size = {size}\n", encoding="utf-8")


@pytest.fixture(scope="session")
def sources(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("volume-sources") / "edition"
    generate(6, folder, seed=3)
    set_volume_size(folder, 2)
    # Editorial principles: Nos. 1, 2 and 4 share one, No. 3 has its own, Nos. 5 and 6 have none.
    # (The file names begin with the date: sorted, they are in the corpus's order.)
    files = sorted(p for p in (folder / "tei").glob("*.xml") if p.name not in ("persons.xml", "places.xml"))
    for number, rule in ((1, "alpha"), (2, "alpha"), (3, "beta"), (4, "alpha")):
        path = files[number - 1]
        decl = (f"<encodingDesc><editorialDecl><normalization><p>Rule {rule} of the editors.</p></normalization>"
                "</editorialDecl></encodingDesc>")
        path.write_text(path.read_text(encoding="utf-8").replace("</fileDesc>", "</fileDesc>" + decl, 1),
                        encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def in_volumes(sources, tmp_path_factory) -> tuple[Path, object]:
    """Built once, with two workers: the volumes are typeset in processes of their own."""
    folder = tmp_path_factory.mktemp("volumes") / "edition"
    shutil.copytree(sources, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        result = run(folder, jobs=2)
    return folder, result


@pytest.fixture
def edition(sources, tmp_path, monkeypatch) -> Path:
    """An edition built in one process (the cache holds absolute paths: a copy of a built edition
    would be rebuilt whole), to change and build again."""
    folder = tmp_path / "edition"
    shutil.copytree(sources, folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run(folder)
    return folder


def pages(path: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages]


def corpus_of(folder: Path):
    from edition.config import discover
    from edition.corpus import load_corpus
    from edition.diagnostics import Reporter

    return load_corpus(discover(folder), Reporter())


def test_six_documents_in_volumes_of_two_are_three_volumes(in_volumes):
    folder, result = in_volumes
    pdf = folder / "_build" / "pdf"
    assert sorted(p.name for p in pdf.glob("edition*.pdf")) == VOLUMES  # no edition.pdf beside them
    assert len(list(pdf.glob("*.pdf"))) == 3 + 6
    assert set(result.redone["volume"]) == set(VOLUMES) and set(result.redone["volume"].values()) == {"new"}
    assert result.pdf_pages == sum(len(pypdf.PdfReader(pdf / name).pages) for name in VOLUMES)


def test_each_title_page_names_the_volume_its_documents_and_dates(in_volumes):
    from edition.render.volumes import plan

    folder, _ = in_volumes
    volumes = plan(corpus_of(folder))
    assert [v.file for v in volumes] == VOLUMES
    for volume in volumes:
        reader = pypdf.PdfReader(folder / "_build" / "pdf" / volume.file)
        title = " ".join((reader.pages[0].extract_text() or "").split())
        assert title.startswith("Benchmark edition (6 documents)")
        assert f"Volume {volume.number} of 3" in title
        assert f"Nos. {2 * volume.number - 1}–{2 * volume.number}" in title
        assert volume.dates and volume.dates in title
        assert reader.metadata.title == f"Benchmark edition (6 documents), Volume {volume.number}"
    # the dates are those of its documents: the first volume's begin with the corpus's first date
    first = corpus_of(folder).documents[0].info.date
    assert volumes[0].dates.endswith(first[:4]) or volumes[0].dates.split("–")[0].endswith(first[:4])


def test_contents_list_the_volumes_own_documents_with_their_series_numbers(in_volumes):
    folder, _ = in_volumes
    corpus = corpus_of(folder)
    for n, name in enumerate(VOLUMES):
        text = pages(folder / "_build" / "pdf" / name)
        contents = next(p for p in text if p.startswith("Contents"))
        for number, doc in enumerate(corpus.documents, start=1):
            entry = f"{number}. {doc.info.title}"
            if number in (2 * n + 1, 2 * n + 2):
                line = ", ".join(filter(None, (doc.info.date_display, doc.info.place)))  # under the title
                found = re.search(re.escape(entry) + r"\s+" + re.escape(line) + r"\s+(\d+)", contents)
                assert found, (entry, contents)
                assert f"NO. {number}" in text[int(found.group(1)) - 1].upper()  # the page it gives
            else:
                assert entry not in contents


def test_each_volume_has_the_editorial_principles_of_its_documents(in_volumes):
    folder, _ = in_volumes
    first, second, third = (" ".join(pages(folder / "_build" / "pdf" / name)) for name in VOLUMES)
    assert "Editorial principles" in first and first.count("Rule alpha of the editors.") == 1
    assert "Rule beta" not in first and not re.search(r"Documents? \d", first.split("Rule alpha")[0])
    assert "Editorial principles" in second
    # two texts in this volume: each under the numbers of its documents here (No. 4, not Nos. 1, 2, 4)
    assert re.search(r"Editorial principles Document 4 Normalization\. Rule alpha of the editors\. "
                     r"Document 3 Normalization\. Rule beta of the editors\.", second), second[:1500]
    assert second.count("Rule alpha of the editors.") == 1
    assert "Editorial principles" not in third and "Rule" not in third


def test_numbering_continues_in_the_volumes_and_in_each_documents_pdf(in_volumes):
    folder, _ = in_volumes
    corpus = corpus_of(folder)
    second = " ".join(pages(folder / "_build" / "pdf" / VOLUMES[1])).upper()
    assert "NO. 3" in second and "NO. 4" in second and "NO. 1 " not in second and "NO. 5" not in second
    own = " ".join(pages(folder / "_build" / "pdf" / f"{corpus.documents[2].id}.pdf")).upper()
    assert "NO. 3" in own


def test_each_index_lists_only_the_pages_of_its_volume(in_volumes):
    """Every page an index names is one of that volume's document pages; a person is listed only if
    one of the volume's documents mentions them. (Not every such page prints the surname: a role
    reference, "the ambassador", is indexed too.)"""
    folder, _ = in_volumes
    corpus = corpus_of(folder)
    checked = named = 0
    for n, name in enumerate(VOLUMES):
        text = pages(folder / "_build" / "pdf" / name)
        start = next(i for i, p in enumerate(text) if p.startswith("Index of persons"))
        first = next(i for i, p in enumerate(text) if f"NO. {2 * n + 1}" in p.upper() and not p.startswith("Contents"))
        own = corpus.documents[2 * n: 2 * n + 2]
        mentioned = {corpus.registers.persons[p].name.split()[-1] for doc in own
                     for p in [*doc.info.persons_mentioned, *doc.info.speakers, *doc.info.participants]
                     if p in corpus.registers.persons}
        index = " ".join(p for p in text[start:] if not p.startswith("Index of places"))
        entries = re.findall(r"([A-Z][\w’'-]+), [^()]*?\((?:\d{4}–\d{4})\) ((?:\d+, )*\d+)", index)
        assert entries, index
        for surname, numbers in entries:
            assert surname in mentioned, f"{surname} is in the index of {name} but not in its documents"
            for page in map(int, numbers.split(", ")):
                assert first <= page - 1 < start, f"{name}: {surname} at page {page}, not a document page"
                named += surname in text[page - 1]
                checked += 1
    assert checked > 6 and named > checked / 2


def test_the_home_page_links_every_volume(in_volumes):

    folder, _ = in_volumes
    site = folder / "_build" / "html"
    home = lxml.html.parse(str(site / "index.html")).getroot()
    links = [(a.get("href"), " ".join(a.text_content().split())) for a in home.xpath("//ul[@class='volumes']/li/a")]
    assert [href for href, _ in links] == [f"pdf/{name}" for name in VOLUMES]
    assert re.fullmatch(r"Volume 2: Nos\. 3–4, \w+ \d{4}–\w+ \d{4}|Volume 2: Nos\. 3–4, \w+–\w+ \d{4}", links[1][1])
    assert not home.xpath("//a[@href='pdf/edition.pdf']")
    check_links(site)  # the volumes are there, copied beside the site


def test_a_corrected_document_retypesets_only_its_volume(edition):
    before = snapshot(edition)
    target = documents(edition)[2]  # file names are not in date order: its number is looked up
    corpus = corpus_of(edition)
    number = next(n for n, d in enumerate(corpus.documents, start=1) if d.path == target.resolve())
    doc_id = corpus.documents[number - 1].id
    volume = VOLUMES[(number - 1) // 2]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    other = corpus.documents[number if number % 2 else number - 2]  # the other document of its volume
    result = run(edition)
    assert result.redone["volume"] == {volume: f"No. {number} changed"}
    # the documents' PDFs are cut out of the volume: its other document, whose pages are as they were
    # (the same pages of the volume, the same markup), keeps its PDF; it is not cut again
    assert result.redone["pdf"] == {str(target): "changed"}
    assert changed(before, snapshot(edition)) == {
        f"pdf/{volume}", f"pdf/{doc_id}.pdf", f"html/pdf/{volume}", f"html/pdf/{doc_id}.pdf",
        f"html/documents/{doc_id}.html", f"html/tei/{doc_id}.xml"}
    out = edition / "_build" / "pdf"
    assert "Revised:" in " ".join(pages(out / volume))
    assert "Revised:" in " ".join(pages(out / f"{doc_id}.pdf"))
    assert _pages_in_volume(out / volume, other) == pages(out / f"{other.id}.pdf")


def _pages_in_volume(volume: Path, doc) -> list[str]:
    """The text of a document's pages in its volume, found by its bookmark (its title)."""
    reader = pypdf.PdfReader(volume)
    starts = sorted((reader.get_destination_page_number(item), item.title) for item in reader.outline
                    if not isinstance(item, list))
    first = next(n for n, (_, title) in enumerate(starts) if title == doc.info.title)
    begin = starts[first][0]
    end = starts[first + 1][0] if first + 1 < len(starts) else len(reader.pages)
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages[begin:end]]


def test_a_document_grown_by_pages_has_the_next_ones_cut_again(edition):
    """A correction that moves the pages of the documents after it (a longer text): theirs are cut
    again, with the new page numbers."""
    corpus = corpus_of(edition)
    first, second = corpus.documents[0], corpus.documents[1]  # the two documents of volume 1
    text = first.path.read_text(encoding="utf-8")
    added = " ".join(f"An added sentence, number {n}, long enough to fill a page of the volume." for n in range(80))
    first.path.write_text(text.replace('<p xml:id="p1">', f'<p xml:id="p1">{added} ', 1), encoding="utf-8")
    before = pages(edition / "_build" / "pdf" / f"{second.id}.pdf")
    result = run(edition)
    assert result.redone["pdf"] == {str(first.path): "changed", str(second.path): f"cut again from {VOLUMES[0]}"}
    after = pages(edition / "_build" / "pdf" / f"{second.id}.pdf")
    assert after != before and after == _pages_in_volume(edition / "_build" / "pdf" / VOLUMES[0], second)


def test_the_volumes_are_typeset_after_the_workers_have_ended(sources, tmp_path, monkeypatch):
    """A full build ends its workers (each holding Saxon, the stylesheets and the schemas) before
    it starts the volumes' processes, so that they are not all in memory at once; a correction,
    whose document is transformed in the build's own process, starts its volume at once."""
    from edition.render.pool import Pool

    seen = []  # (volumes started, worker processes of the pool then)
    fresh = Pool.fresh

    def recording(pool, function, tasks, processes):
        workers = pool._executor._processes if pool._executor is not None else {}
        seen.append((len(tasks), len(workers)))
        return fresh(pool, function, tasks, processes)

    monkeypatch.setattr(Pool, "fresh", recording)
    folder = tmp_path / "edition"
    shutil.copytree(sources, folder)
    result = run(folder, jobs=2)
    assert result.redone["typst"] and len(result.redone["html"]) == 6  # the workers had work
    assert seen == [(3, 0)]
    target = documents(folder)[0]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    seen.clear()
    result = run(folder, jobs=2)
    assert len(result.redone["volume"]) == 1 and seen == [(1, 0)]
    assert "Revised:" in " ".join(pages(folder / "_build" / "pdf" / next(iter(result.redone["volume"]))))


def test_one_search_process_runs_beside_the_volumes(sources, tmp_path, monkeypatch):
    """While volumes are typeset (a process per job), Pagefind indexes one shard at a time, so that
    the search index's processes do not add to the volumes' memory; without volumes to typeset it
    runs a process per job."""
    from edition.render.html_builder import HtmlBuilder

    allowed = []  # Pagefind processes allowed at once, as the search index starts
    start_search = HtmlBuilder._start_search

    def recording(builder, page_keys):
        start_search(builder, page_keys)
        allowed.append(builder.indexing.at_once)

    monkeypatch.setattr(HtmlBuilder, "_start_search", recording)
    folder = tmp_path / "edition"
    shutil.copytree(sources, folder)
    assert run(folder, jobs=2).redone["volume"] and allowed == [1]
    allowed.clear()
    target = documents(folder)[0]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    assert "volume" not in run(folder, jobs=2, only="html").redone and allowed == [2]


def test_the_search_index_waits_for_the_last_volumes(sources, tmp_path, monkeypatch):
    """With more volumes to typeset than run at once (a build from scratch), Pagefind starts only
    once fewer are left than that: one Pagefind beside two volumes' processes made the peak of
    memory. After a correction (one volume) it starts at once, while the volume is typeset."""
    from edition.render import search
    from edition.render.pdf_builder import PdfBuilder

    events = []
    store, start = PdfBuilder._store, search.start

    def storing(builder, target, result):
        events.append(target.file)
        return store(builder, target, result)

    def starting(*args, **kwargs):
        events.append("pagefind")
        return start(*args, **kwargs)

    monkeypatch.setattr(PdfBuilder, "_store", storing)
    monkeypatch.setattr(search, "start", starting)
    folder = tmp_path / "edition"
    shutil.copytree(sources, folder)
    result = run(folder, jobs=2)
    assert len(result.redone["volume"]) == 3
    # two jobs: after the second volume, one is left (running or done): then the index starts
    assert events == VOLUMES[:2] + ["pagefind"] + VOLUMES[2:]
    assert (folder / "_build" / "html" / "pagefind" / "pagefind-entry.json").is_file()
    events.clear()
    target = documents(folder)[0]
    target.write_text(target.read_text(encoding="utf-8").replace("<head>", "<head>Revised: ", 1), encoding="utf-8")
    result = run(folder, jobs=2)
    assert events == ["pagefind", VOLUMES[0]]


def test_volume_size_zero_is_one_book(edition):
    set_volume_size(edition, 0)
    result = run(edition)
    assert set(result.redone) == {"volume", "pdf"} and result.redone["volume"] == {"edition.pdf": "new"}
    assert set(result.redone["pdf"].values()) == {"cut again from edition.pdf"}  # their pages are the book's now
    pdf = edition / "_build" / "pdf"
    assert sorted(p.name for p in pdf.glob("edition*.pdf")) == ["edition.pdf"]
    text = pages(pdf / "edition.pdf")
    assert "Volume" not in text[0] and "1. " in next(p for p in text if p.startswith("Contents"))
    assert sum("Index of persons" in p for p in text) >= 1
    home = (edition / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/edition.pdf"' in home and "edition-volume-" not in home


def test_negative_or_fractional_volume_size_is_a_config_error(tmp_path):
    from edition.config import load_config
    from edition.diagnostics import EditionError

    toml = tmp_path / "edition.toml"
    for value, message in (("-1", "'pdf.volume_size' must be 0 or more, not -1"),
                           ("2.5", "'pdf.volume_size' must be a whole number, not float"),
                           ("true", "'pdf.volume_size' must be a whole number, not bool")):
        toml.write_text(f'[edition]\ntitle = "T"\n\n[pdf]\nvolume_size = {value}\n', encoding="utf-8")
        with pytest.raises(EditionError) as caught:
            load_config(toml)
        assert [(d.message, d.line) for d in caught.value.diagnostics] == [(message, 5)]
    toml.write_text('[edition]\ntitle = "T"\n', encoding="utf-8")
    assert load_config(toml).pdf.volume_size == 50


def fake_corpus(dates: list[str], size: int):
    documents = [SimpleNamespace(info=SimpleNamespace(date=d, date_to=""), id=f"d{i}") for i, d in enumerate(dates)]
    return SimpleNamespace(documents=documents, config=SimpleNamespace(pdf=SimpleNamespace(volume_size=size)))


@pytest.mark.parametrize("dates, expected", [
    (["1940-03-02", "1940-09-30"], "March–September 1940"),
    (["1940-12-02", "1941-03-30"], "December 1940–March 1941"),
    (["1940-03-02", "1940-03-30"], "March 1940"),
    (["1940", "1941-05-01"], "1940–1941"),
    (["", "1940-05-01", "not a date"], "May 1940"),
    (["", ""], ""),
])
def test_date_ranges(dates, expected):
    from edition.render.volumes import date_range

    assert date_range(fake_corpus(dates, 0).documents) == expected


def test_plan_names_numbers_and_labels():
    from edition.render.volumes import plan

    corpus = fake_corpus([f"1940-{m:02d}-01" for m in range(1, 13)] + ["1941-01-05"], 5)
    volumes = plan(corpus)
    assert [(v.file, v.first, v.last) for v in volumes] == [
        ("edition-volume-01.pdf", 1, 5), ("edition-volume-02.pdf", 6, 10), ("edition-volume-03.pdf", 11, 13)]
    assert volumes[1].label == "Volume 2: Nos. 6–10, June–October 1940"
    assert volumes[2].label == "Volume 3: Nos. 11–13, November 1940–January 1941"
    assert [v.file for v in plan(fake_corpus(["1940"] * 13, 13))] == ["edition.pdf"]
    assert [v.file for v in plan(fake_corpus(["1940"] * 13, 0))] == ["edition.pdf"]
    many = plan(fake_corpus(["1940"] * 101, 1))
    assert many[0].file == "edition-volume-001.pdf" and many[-1].label == "Volume 101: No. 101, 1940"
