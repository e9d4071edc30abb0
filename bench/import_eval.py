"""How well `edition import` reads real transcript layouts: every fixture of tests/fixtures/import_real/
is imported (through `import_transcripts`, as `edition import` does), the drafts are validated, and
what was found is compared with the fixture's hand-written expected result (NAME.expected.json).

Printed per fixture and overall: documents split right, titles, dates, places, classifications,
registry numbers, the speaker of every paragraph (agreeing; wrong = attributed to somebody else or
to somebody where the paragraph is narration; missing = no speaker where there is one), source
notes anchored at their marker, archive fields, and whether every draft is valid.

    python bench/import_eval.py [--json] [--registers=DIR] [FIXTURE_DIR]

The fixtures are written by the project in the shapes of the collection's pages listed in
../shared/corpus/collection-pages.md; expected results are by hand, never produced by the importer.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition.importer import import_transcripts  # noqa: E402
from edition.validate import validate_paths  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import_real"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
T = "{http://www.tei-c.org/ns/1.0}"
UNREGISTERED = re.compile(r"speaker “(.+?)” is not in the register")


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\u00a0", " ").replace("’", "'").replace("\u2010", "-")
    return " ".join(text.split()).strip(" .:,").casefold()


def text_of(el, skip_notes: bool = True) -> str:
    """An element's text without its notes (source notes and todos)."""
    parts = [el.text or ""]
    for child in el:
        if not (skip_notes and child.tag == T + "note"):
            parts.append(text_of(child, skip_notes))
        parts.append(child.tail or "")
    return "".join(parts)


def speaker_of(el) -> str | None:
    sp = next((a for a in el.iterancestors(T + "sp")), None)
    if sp is not None:
        return sp.get("who").split("#")[-1]
    for todo in el.iterfind("t:note[@type='todo']", NS):
        if m := UNREGISTERED.search(todo.text or ""):
            return "name:" + m.group(1)
    return None


def paragraphs(root) -> list[tuple[str, object]]:
    out = []
    for el in root.iterfind(".//t:body//*", NS):
        if el.tag not in (T + "p", T + "item", T + "salute") or any(a.tag == T + "note" for a in el.iterancestors()):
            continue
        text = text_of(el)
        if el.tag == T + "item" and el.get("n"):
            text = el.get("n") + " " + text
        out.append((norm(text), el))
    return out


def before_note(note) -> str:
    """The text just before a note, in its parent, other notes left out."""
    parent = note.getparent()
    pieces = [parent.text or ""]
    for child in parent:
        if child is note:
            break
        if child.tag != T + "note":
            pieces.append(text_of(child))
        pieces.append(child.tail or "")
    return norm("".join(pieces))


def _same_person(name: str, expected: str) -> bool:
    """'name:A. Haydar Aktay' is 'aktay'; 'name:Apaydin' is 'name:Apaydin'."""
    last = unicodedata.normalize("NFKD", name[5:].split()[-1]).encode("ascii", "ignore").decode().lower()
    return expected.removeprefix("name:").lower().split()[-1] == last or expected.split("-")[-1] == last


def compare(doc_root, want: dict, tally: dict) -> None:
    def count(key, ok):
        tally[key][0] += bool(ok)
        tally[key][1] += 1

    x = lambda path: doc_root.xpath(path, namespaces=NS)   # noqa: E731
    count("titles", norm(x("string(//t:titleStmt/t:title[@type='main'])")) == norm(want["title"]))
    when = x("string(//t:profileDesc/t:creation/t:date/@when)") or x("string(//t:profileDesc/t:creation/t:date/@from)")
    count("dates", (when or None) == want["date"])
    place = x("string(//t:profileDesc/t:creation/t:placeName/@ref)").split("#")[-1] or None
    if want.get("place") or place:
        count("places", place == want.get("place"))
    found = sorted(norm(t.text).replace(".", "") for t in x("//t:keywords/t:term[@type='classification']"))
    if want["classification"] or found:
        count("classifications", found == sorted(norm(c).replace(".", "") for c in want["classification"]))
    idno = x("string(//t:idno[@type='registry'])") or None
    if want.get("idno") or idno:
        count("registry numbers", idno == want.get("idno"))
    if want.get("distribution"):
        dist = x("string(//t:note[@type='distribution'])")
        count("distribution", norm(dist).startswith(norm(want["distribution"])))
    paras = paragraphs(doc_root)
    used: set[int] = set()
    for prefix, who in want["paragraphs"]:
        hit = next((i for i, (text, _) in enumerate(paras) if i not in used and text.startswith(norm(prefix))), None)
        tally["paragraphs"][1] += 1
        if hit is None:
            tally["paragraphs lost"] += 1
            tally["speakers"][1] += 1
            tally["missing"] += who is not None
            continue
        used.add(hit)
        tally["paragraphs"][0] += 1
        got = speaker_of(paras[hit][1])
        count("speakers", got == who)
        if got != who:
            if got is None:
                tally["missing"] += 1
            elif who and got.startswith("name:") and _same_person(got, who):
                tally["unregistered"] += 1   # the right person, whom the register lacks (a todo asks for it)
            else:
                tally["wrong"] += 1
                tally["wrong list"].append(f"{prefix[:40]!r}: {got} (expected {who})")
    tally["paragraphs extra"] += len(paras) - len(used)
    notes = x("//t:text//t:note[@type='source']")
    for n in want["notes"]:
        hit = next((note for note in notes if note.get("n") == n["n"] and before_note(note).endswith(norm(n["after"]))
                    and (n["text"] is None or norm(text_of(note)).startswith(norm(n["text"])))), None)
        count("notes anchored", hit is not None)
    if want.get("archive"):
        ident = {i.get("type"): (i.text or "").strip() for i in x("//t:msIdentifier/t:idno")}
        folios = x("string(//t:msItem/t:locus)").removeprefix("L. ").strip()
        for key, value in want["archive"].items():
            got = ident.get("archive") if key == "repository" else folios if key == "folios" else ident.get(key)
            count("archive fields", norm(got) == norm(value))
    if want.get("publication"):
        count("archive fields", norm(want["publication"]) in norm(x("string(//t:bibl[@type='first-publication']/t:title)")))


def evaluate(folder: Path = FIXTURES, registers: Path | None = None) -> tuple[list[tuple[str, dict]], dict]:
    """`registers`: a folder with persons.xml and places.xml to use instead of the fixtures' own
    (e.g. the bundled edition's tei/, which lacks most of the collection's persons)."""
    keys = ["documents split", "titles", "dates", "places", "classifications", "registry numbers", "distribution",
            "paragraphs", "speakers", "notes anchored", "archive fields", "valid drafts"]
    rows, total = [], {k: [0, 0] for k in keys} | {"wrong": 0, "missing": 0, "unregistered": 0,
                                                   "paragraphs lost": 0, "paragraphs extra": 0, "wrong list": []}
    with tempfile.TemporaryDirectory() as tmp:
        for fixture in sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html", ".docx")):
            want = json.loads(fixture.with_name(fixture.stem + ".expected.json").read_text(encoding="utf-8"))
            tei = Path(tmp) / fixture.stem / "tei"
            tei.mkdir(parents=True)
            for name in ("persons.xml", "places.xml"):
                shutil.copy((registers or folder / "tei") / name, tei / name)
            tally = {k: [0, 0] for k in keys} | {"wrong": 0, "missing": 0, "unregistered": 0,
                                                 "paragraphs lost": 0, "paragraphs extra": 0, "wrong list": []}
            try:
                (result,) = import_transcripts([fixture], out=tei, persons=tei / "persons.xml")
                docs = result.documents
            except Exception as exc:   # a failure is measured, not hidden
                docs, tally["error"] = [], f"{type(exc).__name__}: {exc}"
            wanted = want["documents"]
            split = len(docs) == len(wanted)
            for doc, w in zip(docs, wanted):
                root = etree.parse(str(doc.path)).getroot()
                split = split and norm(root.xpath("string(//t:titleStmt/t:title[@type='main'])", namespaces=NS)) \
                    == norm(w["title"])
                compare(root, w, tally)
            for w in wanted[len(docs):]:
                tally["titles"][1] += 1
                tally["dates"][1] += 1
                tally["paragraphs"][1] += len(w["paragraphs"])
                tally["speakers"][1] += len(w["paragraphs"])
                tally["missing"] += sum(who is not None for _, who in w["paragraphs"])
            tally["documents split"] = [int(split), 1]
            if docs:
                validation = validate_paths([tei])
                bad = {Path(d.path).resolve() for d in validation.diagnostics if d.severity.value == "error"}
                tally["valid drafts"] = [sum(doc.path.resolve() not in bad for doc in docs), len(docs)]
                tally["errors"] = [d.format() for d in validation.diagnostics if d.severity.value == "error"][:3]
            else:
                tally["valid drafts"] = [0, len(wanted)]
            rows.append((fixture.stem, tally))
            for k, v in tally.items():
                if k in total and isinstance(v, list) and k != "wrong list":
                    total[k][0] += v[0]
                    total[k][1] += v[1]
                elif k in ("wrong", "missing", "unregistered", "paragraphs lost", "paragraphs extra"):
                    total[k] += v
            total["wrong list"] += [f"{fixture.stem}: {w}" for w in tally["wrong list"]]
    return rows, total


COLUMNS = [("split", "documents split"), ("title", "titles"), ("date", "dates"), ("class", "classifications"),
           ("speakers", "speakers"), ("notes", "notes anchored"), ("archive", "archive fields"), ("valid", "valid drafts")]


def fmt(pair) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "-"


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    registers = next((Path(a.split("=", 1)[1]) for a in argv if a.startswith("--registers=")), None)
    args = [a for a in argv if not a.startswith("--")]
    rows, total = evaluate(Path(args[0]) if args else FIXTURES, registers)
    if as_json:
        print(json.dumps({"fixtures": dict(rows), "overall": total}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'fixture':44} " + " ".join(f"{c:>9}" for c, _ in COLUMNS) + "  wrong missing")
    for name, t in rows:
        print(f"{name[:44]:44} " + " ".join(f"{fmt(t[k]):>9}" for _, k in COLUMNS) + f"  {t['wrong']:>5} {t['missing']:>7}"
              + (f"  {t['error']}" if "error" in t else ""))
    print(f"{'overall':44} " + " ".join(f"{fmt(total[k]):>9}" for _, k in COLUMNS) + f"  {total['wrong']:>5} {total['missing']:>7}")
    s = total["speakers"]
    print(f"\nspeakers agree {s[0]}/{s[1]} = {100 * s[0] / max(s[1], 1):.1f}%; wrong {total['wrong']} "
          f"= {100 * total['wrong'] / max(s[1], 1):.1f}%; missing {total['missing']}"
          + (f"; the right person but not in the register (a todo) {total['unregistered']}" if total["unregistered"] else "")
          + "; paragraphs found "
          f"{fmt(total['paragraphs'])} ({total['paragraphs extra']} extra)")
    for key in ("places", "registry numbers", "distribution"):
        print(f"{key}: {fmt(total[key])}")
    for line in total["wrong list"]:
        print("  wrong:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
