"""Dashboard charts as plain shapes that templates/followup/_charts.html draws as inline SVG:
no JavaScript, nothing fetched, and every chart has its data table under it."""

from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _

from ..models.base import label
from ..services.dashboards import Dashboard

WIDTH = 640


@dataclass
class Shape:
    kind: str  # rect, line, polyline, circle or text
    css: str
    attrs: dict
    text: str = ""  # a text's content, or the tooltip of a mark


@dataclass
class Chart:
    title: str
    height: int
    shapes: list[Shape] = field(default_factory=list)
    # (css class, label) pairs, drawn in HTML beside the SVG so that long labels wrap.
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH

    def add(self, kind: str, css: str, text: str = "", **attrs) -> None:
        self.shapes.append(
            Shape(kind, css, {k.replace("_", "-"): v for k, v in attrs.items()}, text)
        )


def status_chart(dash: Dashboard) -> Chart:
    """Grouped bars per status: the owners' own reports beside the assessors' ratings."""
    row, top, left, right = 44, 4, 150, WIDTH - 60
    chart = Chart(_("Commitments by status"), top + row * len(dash.statuses) + 8)
    chart.legend = [("self", _("Self-reported")), ("assessed", _("Assessed"))]
    largest = max([1] + [max(r.self_count, r.assessed_count) for r in dash.statuses])
    scale = (right - left) / largest
    for index, status_row in enumerate(dash.statuses):
        y = top + index * row
        name = str(label(status_row.status))
        chart.add("text", "axis", name, x=left - 8, y=y + 24, text_anchor="end")
        for offset, css, count in (
            (6, "self", status_row.self_count),
            (22, "assessed", status_row.assessed_count),
        ):
            width = round(count * scale, 1)
            tooltip = f"{label}: {count}"
            chart.add("rect", css, tooltip, x=left, y=y + offset, width=width, height=14)
            chart.add("text", "value", str(count), x=left + width + 6, y=y + offset + 12)
    chart.add("line", "axis-line", x1=left, y1=top, x2=left, y2=chart.height - 8)
    return chart


def time_chart(dash: Dashboard) -> Chart | None:
    """Lines month by month: commitments made, and those completed by each account."""
    points = dash.over_time
    if not points:
        return None
    top, bottom, left, right = 12, 200, 56, WIDTH - 36
    chart = Chart(_("Completion over time"), 232)
    chart.legend = [
        ("total", _("Commitments")),
        ("self", _("Completed (self-reported)")),
        ("assessed", _("Completed (assessed)")),
    ]
    largest = max(1, max(p.total for p in points))
    step = (right - left) / max(1, len(points) - 1)

    def y_of(value: int) -> float:
        return round(bottom - value * (bottom - top) / largest, 1)

    for value in sorted({0, largest // 2, largest}):
        chart.add("line", "grid", x1=left, y1=y_of(value), x2=right, y2=y_of(value))
        chart.add("text", "axis", str(value), x=left - 8, y=y_of(value) + 4, text_anchor="end")
    every = max(1, -(-len(points) // 6))  # at most about six month labels
    for index, point in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            x = round(left + index * step, 1)
            label = format_date(point.month, "MMM yyyy")
            # The last label ends at the right edge rather than spilling past it.
            anchor = "end" if index == len(points) - 1 and index else "middle"
            chart.add("text", "axis", label, x=x, y=bottom + 20, text_anchor=anchor)
    for css, attribute in (
        ("total", "total"),
        ("self", "completed_self"),
        ("assessed", "completed_assessed"),
    ):
        coordinates = [
            (round(left + i * step, 1), y_of(getattr(p, attribute))) for i, p in enumerate(points)
        ]
        chart.add("polyline", css, points=" ".join(f"{x},{y}" for x, y in coordinates), fill="none")
        for (x, y), point in zip(coordinates, points, strict=True):
            tooltip = f"{format_date(point.month, 'MMM yyyy')}: {getattr(point, attribute)}"
            chart.add("circle", css, tooltip, cx=x, cy=y, r=3.5)
    return chart


def charts_for(dash: Dashboard) -> dict:
    return {"status": status_chart(dash), "time": time_chart(dash)}
