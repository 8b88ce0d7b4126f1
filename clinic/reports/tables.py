"""The shape every report returns: sections of headline figures, tables and a chart.

A table is the report's truth: the page shows it (with a caption and headers, and as the text
alternative of its chart), the CSV export writes it and the API answers it, so the three never
disagree.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

PAGE_ROWS = 200


@dataclass(frozen=True)
class Table:
    """Rows of plain values under named columns; `key` names its CSV and API address.

    A table that can grow with the clinic (the lapsed clients) holds only its first rows, with
    `total` counting them all and `everything` reading them all for the CSV, row by row.
    """

    key: str
    caption: str
    columns: list[tuple[str, str]]  # (field, heading)
    rows: list[dict]
    empty: str = "Nothing in this period."
    total: int | None = None
    everything: Callable[[], Iterable[dict]] | None = field(default=None, compare=False)

    @property
    def headings(self) -> list[str]:
        return [heading for _, heading in self.columns]

    @property
    def count(self) -> int:
        """Every row's count, shown or not."""
        return len(self.rows) if self.total is None else self.total

    @property
    def cells(self) -> list[list]:
        """The rows the page shows, as lists of values in column order."""
        return [[row.get(name) for name, _ in self.columns] for row in self.rows[:PAGE_ROWS]]

    @property
    def cut(self) -> bool:
        """The page shows only the first rows (the CSV has them all)."""
        return self.count > len(self.cells)

    def as_data(self) -> dict:
        """The table as the API answers it: the first rows, and how many there are."""
        return {
            "key": self.key,
            "caption": self.caption,
            "columns": self.columns,
            "rows": self.rows,
            "total_rows": self.count,
        }

    def csv_lines(self) -> Iterator[str]:
        """The CSV, a line at a time, with every row (read as it is written)."""
        out = io.StringIO()
        writer = csv.writer(out)
        rows = self.everything() if self.everything is not None else self.rows
        for values in chain(
            [self.headings], ([_cell(row.get(n)) for n, _ in self.columns] for row in rows)
        ):
            writer.writerow(values)
            yield out.getvalue()
            out.seek(0)
            out.truncate()


@dataclass(frozen=True)
class Chart:
    """What static/reports/charts.js draws: a Chart.js type, labels and datasets."""

    kind: str
    labels: list[str]
    datasets: list[dict]
    y_label: str = ""

    def as_data(self) -> dict:
        return {
            "kind": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "y_label": self.y_label,
        }


class Figure(tuple):
    """A headline figure: (label, value), as the page shows it, with `key`, its stable name in
    the API (a label is text for people, and may be reworded)."""

    key: str

    def __new__(cls, key: str, label: str, value):
        figure = super().__new__(cls, (label, value))
        figure.key = key
        return figure

    @property
    def label(self) -> str:
        return self[0]

    @property
    def value(self):
        return self[1]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: Chart | None = None

    @property
    def chart_id(self) -> str:
        return f"{self.key}-chart"


def _cell(value):
    # Spreadsheets read a leading =, +, - or @ as a formula: quote such text, but not a phone
    # number (+14165550101) or a negative figure, which are only digits after their sign.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _signed_number(value):
        return "'" + value
    return "" if value is None else value


def _signed_number(value: str) -> bool:
    return value[:1] in "+-" and value[1:].replace(".", "").isdigit()


def rate(part, whole, places=1) -> Decimal | None:
    """`part` as a percentage of `whole`, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(Decimal(100) * Decimal(part) / Decimal(whole), places)


def hours(seconds) -> Decimal:
    return round(Decimal(seconds or 0) / Decimal(3600), 1)
