"""What an import recognised and what needs the editor, by source line: as text or as JSON.

Items needing attention are `Diagnostic`s (warnings), printed in the tool's one format
`file:line: warning: message [import.todo]`, so editors' tools can jump to the line.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from lxml import etree

from edition.diagnostics import Diagnostic, display_path, warning
from edition.importer.emit import XML_NS, slug
from edition.importer.recognise import Draft


def suggested_entry(name: str) -> str:
    """A register entry for an unknown name, as an XML snippet to paste into persons.xml."""
    words = name.split()
    surname = words[-1]
    person = etree.Element("person", {f"{{{XML_NS}}}id": slug(surname) or "person"})
    main = etree.SubElement(person, "persName", {"type": "main"})
    if len(words) > 1:
        etree.SubElement(main, "forename").text = " ".join(words[:-1])
        main[-1].tail = " "
    etree.SubElement(main, "surname").text = surname
    return etree.tostring(person, encoding="unicode").replace(' xmlns:xml="http://www.w3.org/XML/1998/namespace"', "")


def describe(imported) -> dict:
    """Everything recognised in one drafted document, with source line numbers (JSON-friendly)."""
    d: Draft = imported.draft
    head = d.head
    turns: Counter = Counter()
    turn_lines: dict[str, list[int]] = {}
    for p in d.parts:
        if p.kind == "p" and p.speaker:
            turns[p.speaker] += 1
            turn_lines.setdefault(p.speaker, []).append(p.line)
    mentions: dict[str, Counter] = {"person": Counter(), "org": Counter(), "place": Counter(), "role": Counter()}
    misspellings = []
    for p in d.parts:
        for m in p.mentions:
            if m.kind in mentions and m.entity is not None:
                mentions[m.kind][m.entity.id] += 1
            if m.form is not None and m.form.type == "misspelling":
                misspellings.append({"line": p.line, "text": m.text, "corrected": m.entity.label,
                                     "ref": m.entity.id})
    page_breaks = []
    for p in d.parts:
        for b in p.blocks:
            if b.pb_before is not None:
                page_breaks.append({"line": b.pb_before, "joined": False})
            page_breaks.extend({"line": line, "joined": True} for _, line in b.breaks)
    notes = [{"marker": m.symbol, "marker_line": p.line, "note_line": m.note.line}
             for p in d.parts for m in p.markers if m.note is not None]
    archival = None
    if d.archival:
        a, line = d.archival
        archival = {"line": line, "archive": a.archive, "repository": a.repository, **a.parts}
    publication = None
    if d.publication:
        pub, line = d.publication
        publication = {"line": line, "title": pub.title, "volume": pub.volume, "book": pub.book,
                       "pages": f"{pub.page_from}-{pub.page_to}" if pub.page_from else None}
    unresolved = [{"name": name, "count": len(lines), "first_line": min(lines), "suggestion": suggested_entry(name)}
                  for name, lines in sorted(d.unresolved.items(), key=lambda kv: min(kv[1]))]
    return {
        "output": display_path(imported.path),
        "id": imported.id,
        "seconds": round(imported.seconds, 4),
        "document_type": d.doc_type,
        "title": {"line": head.line, "last_line": head.blocks[-1].last, "text": " ".join(head.text.split())}
        if head else None,
        "date": {"line": d.date_line, "when": d.date.when, "from": d.date.from_, "to": d.date.to} if d.date else None,
        "classifications": [{"line": line, "text": text} for text, line in d.classifications],
        "parties": [e.id for e in d.parties],
        "author": d.author.id if d.author else None,
        "speakers": {who: {"turns": n, "first_line": turn_lines[who][0]} for who, n in turns.most_common()},
        "paragraphs": len(d.of("p")),
        "narration_lines": [p.line for p in d.of("p") if not p.speaker],
        "names": {kind: dict(counter.most_common()) for kind, counter in mentions.items() if counter},
        "misspellings": misspellings,
        "page_breaks": page_breaks,
        "notes": notes,
        "list_items": [p.line for p in d.of("item")],
        "closer": [{"line": p.line, "text": p.text, "kind": "distribution" if p.kind == "distribution" else "closer"}
                   for p in d.parts if p.kind in ("closer", "distribution")],
        "recorder": {"line": d.recorder[2], "name": d.recorder[0], "ref": d.recorder[1].id if d.recorder[1] else None}
        if d.recorder else None,
        "archival": archival,
        "publication": publication,
        "unresolved_names": unresolved,
        "todos": [{"line": t.line, "message": t.message} for t in d.all_todos],
    }


def diagnostics(result) -> list[Diagnostic]:
    """The items needing attention, as warnings pointing at source lines."""
    found = []
    for imported in result.documents:
        for todo in imported.draft.all_todos:
            found.append(warning(result.source, todo.message, "import.todo", todo.line))
        for name, lines in imported.draft.unresolved.items():
            found.append(warning(result.source, f"“{name}” is not in the register ({len(lines)}×); "
                                 f"left as <persName> without @ref", "import.unresolved-name", min(lines),
                                 hint=f"add to persons.xml: {suggested_entry(name)}"))
    return sorted(found, key=lambda x: x.line)


def to_json(results, written: bool) -> str:
    return json.dumps({
        "written": written,
        "files": [{"source": display_path(r.source),
                   "dropped": [{"line": d.line, "kind": d.kind, "text": d.text} for d in r.dropped],
                   "encoding": r.encoding,
                   "added_to_register": [{"id": p.id, "name": p.name, "lines": p.lines} for p in r.added],
                   **({"page_images": r.images} if r.images else {}),
                   "documents": [describe(i) for i in r.documents],
                   "diagnostics": [d.as_dict() for d in diagnostics(r)]} for r in results],
    }, ensure_ascii=False, indent=2)


def _lines(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def to_text(results, written: bool) -> str:
    out = []
    for r in results:
        source = display_path(r.source)
        out.append(f"{source}: {len(r.documents)} document(s)"
                   + (f" (read as {r.encoding})" if r.encoding not in ("utf-8", "ascii") else ""))
        if r.added:
            out.append("  added to the register as drafts (check them): " + "; ".join(
                f"{p.name} → {p.id} (line {_lines(p.lines[:5])})" for p in r.added))
        if r.dropped:
            kinds = Counter(d.kind for d in r.dropped)
            out.append("  dropped website clutter: " + "; ".join(
                f"{kind} (line {_lines([d.line for d in r.dropped if d.kind == kind])})" for kind in kinds))
        for imported in r.documents:
            info = describe(imported)
            out.append(f"  {'wrote' if written else 'would write'} {info['output']}  "
                       f"[{info['id']}, {info['seconds'] * 1000:.0f} ms]")
            if info["title"]:
                t = info["title"]
                span = f"{t['line']}" if t["line"] == t["last_line"] else f"{t['line']}-{t['last_line']}"
                out.append(f"    title ({info['document_type']}), line {span}: {_short(t['text'])}")
            if info["date"]:
                dt = info["date"]
                out.append(f"    date, line {dt['line']}: {dt['when'] or dt['from'] + ' to ' + dt['to']}")
            for c in info["classifications"]:
                out.append(f"    classification, line {c['line']}: {c['text']}")
            if info["speakers"]:
                turns = ", ".join(f"{re.sub('^name:', '', who)} {s['turns']}" for who, s in info["speakers"].items())
                out.append(f"    speakers: {turns} ({info['paragraphs']} paragraphs; narration at line "
                           f"{_lines(info['narration_lines']) or '-'})")
            if info["author"]:
                out.append(f"    first person (I, me): {info['author']}")
            for kind, counter in info["names"].items():
                out.append(f"    {kind}s: " + ", ".join(f"{k} {n}" for k, n in counter.items()))
            for m in info["misspellings"]:
                out.append(f"    misspelling, line {m['line']}: {m['text']} → {m['corrected']}")
            for pb in info["page_breaks"]:
                out.append(f"    page break, line {pb['line']}" + (" (paragraph joined)" if pb["joined"] else ""))
            for n in info["notes"]:
                out.append(f"    note {n['marker']}: marker line {n['marker_line']}, text line {n['note_line']}")
            if info["list_items"]:
                out.append(f"    numbered points, lines {_lines(info['list_items'])}")
            for c in info["closer"]:
                out.append(f"    {c['kind']}, line {c['line']}: {c['text']}")
            if a := info["archival"]:
                shelf = ", ".join(f"{k} {a[k]}" for k in ("fond", "opis", "papka", "delo", "folios") if k in a)
                out.append(f"    archival citation, line {a['line']}: {a['archive']}, {shelf}")
            if p := info["publication"]:
                bits = [p["title"]] + [f"vol. {p['volume']}"] * bool(p["volume"]) + [f"pp. {p['pages']}"] * bool(p["pages"])
                out.append(f"    first publication, line {p['line']}: {', '.join(bits)}")
            for u in info["unresolved_names"]:
                out.append(f"    not in the register: {u['name']} ({u['count']}×, first line {u['first_line']})"
                           f"  suggested: {u['suggestion']}")
        diags = diagnostics(r)
        if diags:
            out.append(f"  needs attention ({len(diags)}):")
            out.extend("    " + d.format().split("\n")[0] for d in diags)
    return "\n".join(out)


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
