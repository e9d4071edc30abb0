"""How much of a TEI corpus written elsewhere survives publication: `python bench/fidelity.py --corpus DIR`.

Makes an edition of model "tei" in a work folder (`edition init --model tei`), copies every *.xml
file of DIR into its tei/ (keeping their folders; `--sample N` takes N of them, spread evenly over
the sorted list), builds it as `edition build --keep-going` does, and reports:

- files: found, built, refused (with the reason: the first error's code and message, counted by code),
  not documents (registers, roots other than <TEI>/<teiCorpus>);
- for each built document, the share of the words of its <text> found in its web page (the
  document's <article>) and in its PDF (text extracted with pypdf); mean and minimum over the corpus,
  and the documents that lost most.

A word is a run of letters and digits (\\w+). A source word counts as kept when the output has as many
of it; what is short is looked for once more in the output's letters and digits run together, so
that a word divided by <lb break="no"/>, hyphenated at a line end or set next to a footnote mark
still counts, and a word absent from the output never does. Punctuation is not compared (the
outputs supply quotation marks and brackets); the content of <binaryObject> (base64 data) is not
counted as words.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from lxml import etree, html as lxml_html

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TEI = "{http://www.tei-c.org/ns/1.0}"
SKIPPED = (f"{TEI}binaryObject",)
WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """The words of a text, composed (NFC: PDF text extraction gives "й" as "и" and a combining breve)."""
    return [w.casefold() for w in WORD.findall(unicodedata.normalize("NFC", text))]


def words(text: str) -> Counter:
    return Counter(tokens(text))


def source_words(path: Path) -> dict[str, Counter]:
    """The words of each document's <text> in a file: {document id: words} (a teiCorpus has several)."""
    from edition.corpus import documents_in
    from edition.documents import parse_file

    tree, _ = parse_file(path)
    if tree is None:
        return {}
    found = {}
    for doc_id, element in documents_in(tree, path):
        found[doc_id] = Counter()
        for text in element.iterfind(f"{TEI}text"):
            copy = etree.fromstring(etree.tostring(text))
            for data in copy.iter(*SKIPPED):  # encoded data (base64), not text for a reader
                data.clear(keep_tail=True)
            found[doc_id] += words(" ".join(copy.itertext()))
    return found


def kept(source: Counter, output: str) -> float:
    """The share of the source's words that the output text has (see the module's docstring)."""
    total = sum(source.values())
    if not total:
        return 1.0
    have = words(output)
    joined = "".join(tokens(output))
    found = 0
    for word, count in source.items():
        found += min(count, have[word] if have[word] >= count else max(have[word], joined.count(word)))
    return found / total


def html_text(page: Path) -> str:
    tree = lxml_html.parse(str(page))
    article = tree.xpath("//article[contains(concat(' ', @class, ' '), ' document ')]")
    return " ".join((article[0] if article else tree.getroot()).itertext())


def pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)


def sample(files: list[Path], n: int | None) -> list[Path]:
    if not n or n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def run(corpus: Path, work: Path, n: int | None = None, jobs: int | None = None, pdf: bool = True) -> dict:
    from edition.build import build
    from edition.config import discover
    from edition.diagnostics import EditionError, Reporter, Severity
    from edition.render.fragments import page_name
    from edition.scaffold import init_project

    corpus = corpus.resolve()
    files = sample(sorted(p for p in corpus.rglob("*.xml") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(corpus).parts)), n)
    if work.exists():
        shutil.rmtree(work)
    init_project(work, title=f"Fidelity: {corpus.name}", model="tei")
    for path in files:
        target = work / "tei" / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    config = discover(work)
    reporter = Reporter()
    started = time.perf_counter()
    result, failure = None, ""
    try:
        result = build(config, reporter, keep_going=True, jobs=jobs, only=None if pdf else "html")
    except EditionError as exc:
        failure = str(exc)
    seconds = time.perf_counter() - started
    first_error: dict[str, tuple[str, str]] = {}
    for d in reporter.diagnostics:
        if d.severity is Severity.ERROR:
            first_error.setdefault(str(Path(d.path).resolve()), (d.code, d.message))
    documents = result.corpus.documents if result and result.corpus else []
    built_files = {str(d.path.resolve()) for d in documents}
    rows = []
    for doc in documents:
        source = source_words(doc.path).get(doc.id, Counter())
        page = config.output_dir / "html" / "documents" / f"{page_name(doc)}.html"
        row = {"file": str(doc.path.relative_to(work / "tei")), "id": doc.id, "words": sum(source.values()),
               "html": kept(source, html_text(page)) if page.is_file() else 0.0}
        if pdf:
            pdf_file = config.output_dir / "pdf" / f"{doc.id}.pdf"
            row["pdf"] = kept(source, pdf_text(pdf_file)) if pdf_file.is_file() else 0.0
        rows.append(row)
    refused = {str(p.relative_to(work / "tei")): first_error.get(str(p), ("?", "?"))
               for p in sorted((work / "tei").rglob("*.xml")) if str(p.resolve()) in first_error}
    not_documents = len(files) - len(built_files) - len(refused)
    summary = {"corpus": str(corpus), "files": len(files), "documents": len(rows), "files_built": len(built_files),
               "refused": len(refused), "not_documents": not_documents, "seconds": round(seconds, 1),
               "failure": failure, "reasons": dict(Counter(code for code, _ in refused.values()).most_common()),
               "warnings": dict(Counter(d.code for d in reporter.diagnostics
                                        if d.severity is Severity.WARNING).most_common(8))}
    for output in ("html", "pdf") if pdf else ("html",):
        shares = [r[output] for r in rows]
        weighted = sum(r[output] * r["words"] for r in rows) / max(1, sum(r["words"] for r in rows))
        summary[output] = {"mean": sum(shares) / len(shares) if shares else 0.0, "min": min(shares, default=0.0),
                           "words": weighted}
        summary[output]["worst"] = sorted(((r[output], r["file"]) for r in rows))[:3]
    summary["refused_files"] = {f: f"{code}: {message[:160]}" for f, (code, message) in list(refused.items())[:10]}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of TEI files (searched recursively)")
    parser.add_argument("--work", type=Path, help="where to make the edition (default: a temporary folder)")
    parser.add_argument("--sample", type=int, help="build only N files, spread evenly over the sorted list")
    parser.add_argument("--jobs", "-j", type=int, help="worker processes (default: all cores)")
    parser.add_argument("--no-pdf", action="store_true", help="the web edition only")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fidelity-")) / "edition"
    summary = run(args.corpus, work, args.sample, args.jobs, pdf=not args.no_pdf)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    print(f"{summary['corpus']}: {summary['files']} file(s), {summary['files_built']} built "
          f"({summary['documents']} document(s)), {summary['refused']} refused, "
          f"{summary['not_documents']} not documents, in {summary['seconds']} s")
    if summary["failure"]:
        print(f"  build failed: {summary['failure']}")
    for output in ("html", "pdf"):
        if output in summary:
            s = summary[output]
            print(f"  {output}: words kept mean {s['mean']:.2%}, minimum {s['min']:.2%} "
                  f"(all words: {s['words']:.3%}); least: "
                  + ", ".join(f"{f} {v:.2%}" for v, f in s["worst"]))
    for reason, count in summary["reasons"].items():
        print(f"  refused: {count} x {reason}")
    for f, why in summary["refused_files"].items():
        print(f"    {f}: {why}")
    if summary["warnings"]:
        print("  warnings: " + ", ".join(f"{c} {n}" for c, n in summary["warnings"].items()))


if __name__ == "__main__":
    main()
