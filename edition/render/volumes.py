"""The print edition in volumes: which documents each volume holds, its file name and its label.

    plan(corpus) -> [Volume, ...]

Documentary series are printed this way (FRUS, Documents on British Foreign Policy): each volume has
its own contents and indexes, and documents are numbered through the series, so "No. 137" is the
same document in its volume, in its own PDF and on the web. Volumes take `[pdf] volume_size`
documents each in corpus order (by date); with 0, or when everything fits in one, there is a single
volume, the book `edition.pdf`. Several are `edition-volume-01.pdf`, ... (zero-padded to the width
of their count, so that they sort in order).

Why volumes at all: Typst holds the whole of what it typesets in memory (about 3 MB per 10 KB
document) and re-typesets all of it after any correction; a volume bounds both.
"""

from __future__ import annotations

from dataclasses import dataclass

from edition.corpus import MONTHS, Corpus, Document

BOOK = "edition.pdf"


@dataclass(frozen=True)
class Volume:
    number: int  # 1, 2, ...
    count: int  # volumes in the series
    file: str  # edition.pdf (the only volume) or edition-volume-NN.pdf
    documents: tuple[Document, ...]
    first: int  # series-wide number of its first document
    last: int
    dates: str  # "March–September 1940", or "" when none of its documents is dated

    @property
    def numbers(self) -> str:
        return f"No. {self.first}" if self.first == self.last else f"Nos. {self.first}–{self.last}"

    @property
    def label(self) -> str:
        """'Volume 2: Nos. 101–200, March–September 1940' (what the web edition links)."""
        return f"Volume {self.number}: " + ", ".join(filter(None, [self.numbers, self.dates]))

    def data(self) -> dict:
        """What the volume's title page shows (data.json: shown as strings, never evaluated)."""
        return {"number": self.number, "count": self.count, "numbers": self.numbers, "dates": self.dates,
                "label": self.label}


def plan(corpus: Corpus) -> list[Volume]:
    documents = list(corpus.documents)
    size = corpus.config.pdf.volume_size
    if size <= 0 or len(documents) <= size:
        return [_volume(1, 1, BOOK, documents, 1)]
    groups = [documents[start:start + size] for start in range(0, len(documents), size)]
    width = max(2, len(str(len(groups))))
    return [_volume(n, len(groups), f"edition-volume-{n:0{width}d}.pdf", group, (n - 1) * size + 1)
            for n, group in enumerate(groups, start=1)]


def _volume(number: int, count: int, file: str, documents: list[Document], first: int) -> Volume:
    return Volume(number=number, count=count, file=file, documents=tuple(documents), first=first,
                  last=first + len(documents) - 1, dates=date_range(documents))


def date_range(documents: list[Document]) -> str:
    """The span of the documents' dates at the precision of a volume's label: 'December 1940–March
    1941', 'March–September 1940', 'March 1940'; years alone where a date has no month."""
    dates = sorted(d for doc in documents for d in (doc.info.date, doc.info.date_to) if _usable(d))
    if not dates:
        return ""
    start, end = dates[0], dates[-1]
    if len(start) < 7 or len(end) < 7:  # a year alone: the span in years
        return start[:4] if start[:4] == end[:4] else f"{start[:4]}–{end[:4]}"
    if start[:7] == end[:7]:
        return _month(start, with_year=True)
    if start[:4] == end[:4]:
        return f"{_month(start, with_year=False)}–{_month(end, with_year=True)}"
    return f"{_month(start, with_year=True)}–{_month(end, with_year=True)}"


def _usable(iso: str) -> bool:
    """A date whose year (and month, if given) can be read; anything else is left out of the span."""
    parts = iso.split("-")
    if not (len(parts[0]) == 4 and parts[0].isdigit()):
        return False
    return len(parts) == 1 or (parts[1].isdigit() and 1 <= int(parts[1]) <= 12)


def _month(iso: str, with_year: bool) -> str:
    name = MONTHS[int(iso[5:7]) - 1]
    return f"{name} {iso[:4]}" if with_year else name
