"""Bar charts drawn on the server as SVG: one geometry for every chart, no JavaScript.

Each month is a column of bars side by side, all on one scale, with a value axis of round
ticks on the left, each bar's value written above it and the months under the columns.
Words and numbers come in already formatted for the person's language (the caller passes the
formatter), so this module needs no Flask. `templates/_macros/chart.html` draws the result,
with its legend and axis titles, and the page has a table of the same numbers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from math import floor, log10

LEFT = 44  # room for the value axis and its tick labels
RIGHT = 12
TOP = 26  # room for the axis title and the value over the tallest bar
GAP = 2  # between the bars of one column
LABEL_BELOW = 16  # from the plot's bottom to the month label's baseline
YEAR_BELOW = 30  # and to the year's, under the first column and each January
MAX_TICKS = 5


@dataclass(frozen=True)
class Series:
    """One kind of bar: its values per column and its CSS class (one, or one per column);
    `texts` writes something else over a bar than its value (a hidden count's "< 5")."""

    values: list
    css: str | list[str]
    texts: list[str] | None = None


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: int
    height: float
    css: str
    value: str  # the bar's value, written above it
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Column:
    label: str
    year: str  # shown under the first column and each January, else ""
    label_x: float
    rects: list[Rect]


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the value axis' zero
    label_y: int
    year_y: int
    columns: list[Column]
    ticks: list[Tick]


def nice_step(top: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most five ticks."""
    if top <= 0:
        return 1.0
    power = 10 ** floor(log10(top / MAX_TICKS))
    for factor in (1, 2, 5, 10):
        if top / (factor * power) <= MAX_TICKS:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def bar_chart(months: list[tuple[int, int]], series: list[Series], *,
              month_text: Callable[[tuple[int, int]], str],
              value_text: Callable[[Decimal | int | float], str],
              plot_height: int, bar: int, step: int, min_columns: int = 0,
              years: bool = True) -> Chart:
    """Where each bar, tick and label goes: one column per month, one bar per series.

    With `years=False` the columns are not months (the steps of a scale): no year under them."""
    tallest = max([0.0] + [float(v) for s in series for v in s.values])
    step_value = nice_step(tallest)
    top_value = max(step_value, step_value * -(-tallest // step_value))
    bottom = TOP + plot_height
    ticks = [Tick(bottom - i * step_value / top_value * plot_height,
                  value_text(Decimal(str(i * step_value)).normalize()))
             for i in range(int(round(top_value / step_value)) + 1)]
    columns = []
    for index, month in enumerate(months):
        x = LEFT + 8 + index * step
        rects = []
        for k, one in enumerate(series):
            value = one.values[index]
            height = float(value) / top_value * plot_height
            css = one.css if isinstance(one.css, str) else one.css[index]
            left = x + k * (bar + GAP)
            text = one.texts[index] if one.texts is not None else value_text(value)
            rects.append(Rect(left, bottom - height, bar, height, css, text,
                              left + bar / 2, bottom - height - 3))
        year = str(month[0]) if years and (index == 0 or month[1] == 1) else ""
        columns.append(Column(month_text(month), year,
                              x + (len(series) * (bar + GAP) - GAP) / 2, rects))
    width = LEFT + 8 + max(len(months), min_columns) * step + RIGHT
    return Chart(width=width, height=bottom + YEAR_BELOW + 6, left=LEFT, right=width - RIGHT,
                 top=TOP, bottom=bottom, label_y=bottom + LABEL_BELOW,
                 year_y=bottom + YEAR_BELOW, columns=columns, ticks=ticks)
