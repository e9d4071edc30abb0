"""Generate a synthetic edition for benchmarks: registers and N documents in the edition's encoding.

    python bench/generate.py --docs 1000 --out /tmp/gen1000 [--seed 1]

Writes DIR/edition.toml and DIR/tei/ with persons.xml (~200 persons, a few organisations), places.xml
(~100 places) and N records of conversation of about 10 KB each: varied lengths, 2-5 speakers and a
silent recorder, names pointing into the registers, source and editorial notes, corrections (sic/corr,
orig/reg), supplied words, page breaks, quotations and reported speech. The output is deterministic
for a given seed and valid against schemas/edition.rng and schemas/edition.sch (`edition validate`
reports nothing); the text is nonsense made of plausible words.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from xml.sax.saxutils import escape

FORENAMES = ["Ivan", "Vyacheslav", "Anthony", "Winston", "Andrei", "Maxim", "Georgy", "Lavrenty", "Averell",
             "Cordell", "Harry", "Stafford", "Archibald", "Alan", "Kliment", "Semyon", "Boris", "Nikolai",
             "Pavel", "Sergei", "Alexander", "Charles", "Edward", "Frederick", "George", "Henry", "John",
             "Joseph", "Leonid", "Mikhail", "Oleg", "Peter", "Robert", "Samuel", "Thomas", "Walter"]
SURNAMES = ["Maisky", "Litvinov", "Vyshinsky", "Gromyko", "Dekanozov", "Lozovsky", "Zhukov", "Harriman",
            "Hull", "Hopkins", "Kerr", "Clark", "Brooke", "Dill", "Portal", "Ismay", "Beaverbrook", "Halifax",
            "Sobolev", "Novikov", "Umansky", "Kuznetsov", "Vasilevsky", "Shaposhnikov", "Antonov", "Golikov",
            "Mason", "Wilson", "Standley", "Davies", "Bullitt", "Steinhardt", "Cadogan", "Sargent", "Strang",
            "Warner", "Lyttelton", "Attlee", "Bevin", "Dalton", "Morrison", "Sinclair", "Alexander", "Wavell"]
PLACES = ["Moscow", "London", "Washington", "Kuibyshev", "Leningrad", "Stalingrad", "Murmansk", "Archangel",
          "Tehran", "Cairo", "Ankara", "Stockholm", "Berlin", "Rome", "Tokyo", "Chungking", "Ottawa",
          "Algiers", "Tripoli", "Baku", "Tiflis", "Tashkent", "Vladivostok", "Kiev", "Minsk", "Riga",
          "Tallinn", "Vilnius", "Warsaw", "Prague", "Vienna", "Budapest", "Bucharest", "Sofia", "Belgrade"]
WORDS = ("the government question treaty front supplies convoy agreement proposal position border army navy "
         "aviation operation consultation delegation ambassador minister commissar declaration memorandum "
         "draft article formula guarantee security peace war allies enemy winter spring offensive defence "
         "troops tanks aircraft route port railway shipment request reply objection assurance confidence "
         "difficulty possibility necessity moment situation interest opinion view matter issue plan").split()
VERBS = ["said", "noted", "replied", "objected", "proposed", "asked", "remarked", "stressed", "agreed", "insisted"]
REPOSITORIES = ["Archive of the President of the Russian Federation", "Archive of Foreign Policy of the Russian Federation",
                "The National Archives of the United Kingdom", "Russian State Archive of Socio-Political History"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def registers(rng: random.Random, persons: int, places: int) -> tuple[str, str, list[str], list[str]]:
    person_ids, rows, used = [], [], set()
    while len(person_ids) < persons:
        forename, surname = rng.choice(FORENAMES), rng.choice(SURNAMES)
        pid = f"{surname}-{forename}".lower()
        if pid in used:
            pid = f"{pid}-{len(person_ids)}"
        used.add(pid)
        person_ids.append(pid)
        born = rng.randint(1860, 1910)
        start = rng.randint(1930, 1944)
        rows.append(f'''      <person xml:id="{pid}">
        <persName type="main"><forename>{forename}</forename> <surname>{surname}</surname></persName>
        <persName type="variant">{forename[0]}. {surname}</persName>
        <birth when="{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"/>
        <occupation from="{start}" to="{start + rng.randint(1, 5)}">{escape(sentence(rng, 4))}</occupation>
      </person>''')
    person_xml = _register("register-persons", "Register of persons and organisations", f'''    <listPerson>
{chr(10).join(rows)}
    </listPerson>
    <listOrg>
      <org xml:id="gov-a"><orgName type="main">Government A</orgName></org>
      <org xml:id="gov-b"><orgName type="main">Government B</orgName></org>
    </listOrg>''')
    place_ids, rows = [], []
    for n in range(places):
        name = PLACES[n % len(PLACES)] + ("" if n < len(PLACES) else f" {n // len(PLACES) + 1}")
        plid = name.lower().replace(" ", "-")
        place_ids.append(plid)
        rows.append(f'''      <place xml:id="{plid}" type="settlement">
        <placeName type="main">{name}</placeName>
        <location><geo>{rng.uniform(30, 70):.4f} {rng.uniform(-80, 140):.4f}</geo></location>
      </place>''')
    place_xml = _register("register-places", "Register of places", f'''    <listPlace>
{chr(10).join(rows)}
    </listPlace>''')
    return person_xml, place_xml, person_ids, place_ids


def _register(xml_id: str, title: str, lists: str) -> str:
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{xml_id}" xml:lang="en" type="register">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>{title}</title><editor xml:id="ed">Benchmark</editor></titleStmt>
      <publicationStmt><publisher>Benchmark</publisher><idno type="edition">{xml_id}</idno></publicationStmt>
      <sourceDesc><p>Generated by bench/generate.py.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <standOff>
{lists}
  </standOff>
</TEI>
'''


def paragraph(rng: random.Random, speakers: list[str], persons: list[str], places: list[str], counter: list[int]) -> str:
    """One paragraph of 3-7 sentences with names, and now and then a correction, a note, a quotation..."""
    parts = []
    for _ in range(rng.randint(3, 7)):
        who = rng.choice(speakers)
        bits = [f'<persName ref="persons.xml#{who}">{who.split("-")[0].title()}</persName> {rng.choice(VERBS)} that',
                sentence(rng, rng.randint(6, 14)).lower()]
        roll = rng.random()
        if roll < 0.25:
            bits.append(f'in <placeName ref="places.xml#{rng.choice(places)}">{rng.choice(PLACES)}</placeName>')
        elif roll < 0.35:
            bits.append(f'<choice><sic>{rng.choice(WORDS)}s</sic><corr resp="#ed" cert="{rng.choice(["high", "medium"])}">'
                        f'{rng.choice(WORDS)}</corr></choice>')
        elif roll < 0.42:
            bits.append(f'<q>{sentence(rng, rng.randint(4, 9)).lower()}</q>')
        elif roll < 0.48:
            bits.append(f'<supplied reason="omitted-in-source" resp="#ed">{rng.choice(WORDS)}</supplied>')
        elif roll < 0.52:
            bits.append(f'<choice><orig>{rng.choice(WORDS)}e</orig><reg resp="#ed">{rng.choice(WORDS)}</reg></choice>')
        elif roll < 0.56:
            other = rng.choice(persons)
            bits.append(f'with <persName ref="persons.xml#{other}">{other.split("-")[1].title()}</persName>')
        parts.append(" ".join(bits) + ".")
        if rng.random() < 0.08:
            counter[0] += 1
            kind = rng.choice(["source", "editorial"])
            resp = "#ed"
            parts.append(f'<note type="{kind}" resp="{resp}" n="{counter[0]}">{escape(sentence(rng, rng.randint(5, 15)))}.</note>')
        if rng.random() < 0.05:
            parts.append(f'<pb n="{rng.randint(2, 300)}"/>')
    if rng.random() < 0.3 and len(speakers) > 1:
        other = rng.choice(speakers)
        parts.append(f'<said who="persons.xml#{other}" direct="false">{sentence(rng, rng.randint(6, 12))}.</said>')
    return " ".join(parts)


def document(rng: random.Random, number: int, persons: list[str], places: list[str]) -> tuple[str, str]:
    day = dt.date(1939, 9, 1) + dt.timedelta(days=rng.randint(0, 2100))
    doc_id = f"record-{number:05d}-{day.isoformat()}"
    speakers = rng.sample(persons, rng.randint(2, 5))
    recorder = rng.choice([p for p in persons if p not in speakers])
    place = rng.choice(places)
    counter = [0]
    turns = []
    target = rng.randint(5_000, 9_500)  # characters of text: with the header, files of about 8-13 KB
    size, n = 0, 0
    while size < target:
        n += 1
        who = rng.choice(speakers)
        text = paragraph(rng, speakers, persons, places, counter)
        size += len(text)
        if rng.random() < 0.12:
            turns.append(f'        <p xml:id="p{n}">{text}</p>')
        else:
            turns.append(f'        <sp who="persons.xml#{who}">\n          <p xml:id="p{n}">{text}</p>\n        </sp>')
    used = {t.split('"')[1].split("#")[1] for t in turns if t.lstrip().startswith("<sp ")}
    used |= {s.split('"')[0] for s in "".join(turns).split('<said who="persons.xml#')[1:]}
    participants = "\n".join(
        f'          <person sameAs="persons.xml#{p}" role="{"speaker" if p in used else "silent"}"/>'
        for p in speakers + [recorder])
    title = f"Record of the conversation of {speakers[0].split('-')[0].title()} with {speakers[1].split('-')[0].title()}"
    fond, delo = rng.randint(1, 99), rng.randint(1, 999)
    text = f'''<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{doc_id}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">{title}, {day.isoformat()}</title>
        <title type="short">{title}</title>
        <editor xml:id="ed">Benchmark</editor>
        <respStmt xml:id="recorder"><resp>recorded by</resp><persName ref="persons.xml#{recorder}">{recorder.split("-")[0].title()}</persName></respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>Benchmark</publisher>
        <idno type="edition">{doc_id}</idno>
      </publicationStmt>
      <sourceDesc>
        <msDesc>
          <msIdentifier>
            <settlement>Moscow</settlement>
            <repository>{rng.choice(REPOSITORIES)}</repository>
            <idno type="fond">{fond}</idno>
            <idno type="delo">{delo}</idno>
          </msIdentifier>
          <msContents><msItem><locus from="{delo}" to="{delo + 5}">L. {delo}–{delo + 5}</locus><title>{title}</title></msItem></msContents>
        </msDesc>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <creation><date when="{day.isoformat()}">{day:%d %B %Y}</date>, <placeName ref="places.xml#{place}">{place.title()}</placeName></creation>
      <particDesc>
        <listPerson type="participants">
{participants}
        </listPerson>
      </particDesc>
      <textClass><keywords><term type="document-type">record of conversation</term></keywords></textClass>
    </profileDesc>
    <revisionDesc><change when="2026-11-26" who="#ed">Generated.</change></revisionDesc>
  </teiHeader>
  <text>
    <body>
      <div type="record">
        <head>{title}</head>
        <opener><dateline><date when="{day.isoformat()}">{day:%B %d, %Y}</date></dateline></opener>
{chr(10).join(turns)}
        <closer><signed>Recorded by <persName ref="persons.xml#{recorder}">{recorder.split("-")[0].title()}</persName></signed></closer>
      </div>
    </body>
  </text>
</TEI>
'''
    return f"{day.isoformat()}_{doc_id}.xml", text


def generate(docs: int, out: Path, seed: int = 1, persons: int = 200, places: int = 100) -> None:
    rng = random.Random(seed)
    tei = out / "tei"
    tei.mkdir(parents=True, exist_ok=True)
    person_xml, place_xml, person_ids, place_ids = registers(rng, persons, places)
    (tei / "persons.xml").write_text(person_xml, encoding="utf-8")
    (tei / "places.xml").write_text(place_xml, encoding="utf-8")
    for number in range(1, docs + 1):
        name, text = document(rng, number, person_ids, place_ids)
        (tei / name).write_text(text, encoding="utf-8")
    (out / "edition.toml").write_text(f'''# Generated by bench/generate.py --docs {docs} --seed {seed}
[edition]
title = "Benchmark edition ({docs} documents)"
sources = "tei"
persons = "tei/persons.xml"
places = "tei/places.xml"
output = "_build"
''', encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the edition into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same edition)")
    args = parser.parse_args()
    generate(args.docs, args.out, args.seed)
    print(f"wrote {args.docs} documents and the registers to {args.out}")


if __name__ == "__main__":
    main()
