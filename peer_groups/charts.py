"""Bar charts drawn on the server as SVG: one geometry for every chart, no JavaScript.

Each month is a column of bars side by side; each bar is scaled against its own series' top,
so hours and head counts can share a chart. `templates/_macros/chart.html` draws the result.
"""

from dataclasses import dataclass

LEFT = 40  # room before the first column
RIGHT = 20
TOP = 10
GAP = 2  # between the bars of one column
LABEL_BELOW = 18  # from the plot's bottom to the month label's baseline


@dataclass(frozen=True)
class Series:
    """One kind of bar: its values per column, the top they are scaled to, and its CSS class."""

    values: list
    css: str | list[str]
    top: float | None = None


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: int
    height: float
    css: str


@dataclass(frozen=True)
class Column:
    label: str
    label_x: float
    rects: list[Rect]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_y: int
    columns: list[Column]


def month_label(month: tuple[int, int]) -> str:
    """A month as it fits under a bar: 3/26."""
    return f"{month[1]}/{str(month[0])[2:]}"


def bar_chart(labels: list[str], series: list[Series], *, plot_height: int, bar: int,
              step: int, min_columns: int = 0) -> Chart:
    """Where each bar goes: one column per label, one bar per series, tallest value on top."""
    tops = [float(s.top if s.top is not None else max([1, *s.values])) or 1 for s in series]
    columns = []
    for index, label in enumerate(labels):
        x = LEFT + index * step
        rects = []
        for k, (one, top) in enumerate(zip(series, tops, strict=True)):
            height = float(one.values[index]) / top * plot_height
            css = one.css if isinstance(one.css, str) else one.css[index]
            rects.append(Rect(x + k * (bar + GAP), TOP + plot_height - height, bar, height, css))
        columns.append(Column(label, x + (len(series) * (bar + GAP) - GAP) / 2, rects))
    return Chart(width=LEFT + max(len(labels), min_columns) * step + RIGHT,
                 height=TOP + plot_height + LABEL_BELOW + 12,
                 label_y=TOP + plot_height + LABEL_BELOW, columns=columns)
