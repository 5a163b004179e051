"""Progress over time: the started and implemented counts at the end of each month, from the
status records by the same rule as the counts (RecommendationQuerySet.progress with as_of), and
how many recommendations' figures are uncertain on each of those days (record_uncertain_on).

A series costs one query whatever the amount of data (the recommendations, each with its status
records), and so do the series of several plans; the rest is computed here, in Python: each
recommendation's state over the months is a bit mask (bit i for the i-th month end).
"""

import datetime
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import accumulate

from django.utils import timezone

from .models import STARTED_PHASES, Phase, RecordPrecision, month_end, record_uncertain_on


@dataclass(frozen=True)
class MonthPoint:
    """The figures at the end of one month (for the current month: on its last day so far).

    started and implemented count by the stored dates, as the counts do; uncertain is how many
    recommendations' figures could be different, a record's date being known only to the month
    or as "by" a date; certain_started and certain_implemented count only the others.
    possible_started and possible_implemented add the uncertain ones that could be started (or
    implemented) that day: one of their records of that phase could have happened by then. So
    the started count could be anything from certain_started to possible_started."""

    day: datetime.date
    total: int
    started: int
    implemented: int
    uncertain: int
    certain_started: int
    certain_implemented: int
    possible_started: int
    possible_implemented: int

    @property
    def month(self):
        return self.day.replace(day=1)


def month_ends(start, today):
    """The last day of each month from `start`'s month to `today`'s, the last one being today."""
    days, month = [], start.replace(day=1)
    while month <= today:
        days.append(min(month_end(month), today))
        month = month_end(month) + datetime.timedelta(days=1)
    return days


def monthly_progress(*, recommendations, start=None, today=None):
    """[MonthPoint] of `recommendations` (e.g. published() in one plan), one per month from
    `start` (the plan's date of receipt; None: the month of the earliest record) to `today`
    (default: today), whose point is the last. One query."""
    histories = _histories(recommendations, key="pk")
    return _series(histories.get(None, {}), start, today or timezone.localdate())


def monthly_progress_by_plan(*, recommendations, plans, today=None):
    """{plan pk: [MonthPoint]}: the series of each plan's `recommendations` from its date of
    receipt (without one, from its earliest record). One query for all the plans."""
    histories = _histories(recommendations, key="plan_id")
    today = today or timezone.localdate()
    return {plan.pk: _series(histories.get(plan.pk, {}), plan.received_on, today) for plan in plans}


def _histories(recommendations, *, key):
    """{group: {recommendation pk: [(effective_date, precision, phase), ...]}}, each
    recommendation's records in the order of the counts (the last one on a day wins), grouped
    by plan (key="plan_id") or all in one group (key="pk": group None). A recommendation
    without records has an empty list. One query (a left join)."""
    rows = recommendations.order_by(
        "status_updates__effective_date", "status_updates__created_at", "status_updates__pk"
    ).values_list(
        "pk",
        "plan_id",
        "status_updates__effective_date",
        "status_updates__date_precision",
        "status_updates__status__phase",
        "status_updates__pk",
    )
    histories, seen = defaultdict(dict), set()
    for pk, plan_id, effective_date, precision, phase, record in rows:
        records = histories[plan_id if key == "plan_id" else None].setdefault(pk, [])
        # A filter across a to-many relation (say, the parties) may repeat a row: once each.
        if record is not None and record not in seen:
            seen.add(record)
            records.append((effective_date, precision, phase))
    return histories


def _figures_of(phase):
    """The figures a record in `phase` counts in while it is current."""
    if phase == Phase.IMPLEMENTED:
        return ("started", "implemented")
    return ("started",) if phase in STARTED_PHASES else ()


def _series(histories, start, today):
    if start is None:
        start = min((records[0][0] for records in histories.values() if records), default=None)
    if start is None:
        return []
    days = month_ends(start, today)
    uncertain_masks = {}  # (effective_date, precision): the month ends it is uncertain on

    def uncertain_mask(effective_date, precision):
        if (effective_date, precision) not in uncertain_masks:
            uncertain_masks[effective_date, precision] = sum(
                1 << i
                for i, day in enumerate(days)
                if record_uncertain_on(effective_date, precision, day)
            )
        return uncertain_masks[effective_date, precision]

    # A recommendation whose records are all known to the day has certain figures: each of its
    # records adds the months it is current to a difference array (+1 where they begin, -1
    # where they end), so the common case costs a step per record, not per month.
    changes = {"started": [0] * (len(days) + 1), "implemented": [0] * (len(days) + 1)}
    masks = defaultdict(Counter)  # the others' figures: {mask: how many recommendations have it}
    for records in histories.values():
        if all(precision == RecordPrecision.DAY for _date, precision, _phase in records):
            for i, (effective_date, _precision, phase) in enumerate(records):
                begin = bisect_left(days, effective_date)
                end = bisect_left(days, records[i + 1][0]) if i + 1 < len(records) else len(days)
                for figure in _figures_of(phase):
                    changes[figure][begin] += 1
                    changes[figure][end] -= 1
            continue
        started = implemented = uncertain = could_start = could_implement = 0
        for i, (effective_date, precision, phase) in enumerate(records):
            # The earliest day it could have happened: any day for "by", the month's first.
            if precision == RecordPrecision.BY:
                earliest = 0
            elif precision == RecordPrecision.MONTH:
                earliest = bisect_left(days, effective_date.replace(day=1))
            else:
                earliest = bisect_left(days, effective_date)
            possible = (1 << len(days)) - (1 << earliest)
            if phase in STARTED_PHASES:
                could_start |= possible
            if phase == Phase.IMPLEMENTED:
                could_implement |= possible
            # This record is the current one from the first month end on or after its date
            # until the first one on or after the next record's.
            begin = bisect_left(days, effective_date)
            end = bisect_left(days, records[i + 1][0]) if i + 1 < len(records) else len(days)
            months = (1 << end) - (1 << begin)
            if phase in STARTED_PHASES:
                started |= months
            if phase == Phase.IMPLEMENTED:
                implemented |= months
            if precision != RecordPrecision.DAY:
                uncertain |= uncertain_mask(effective_date, precision)
        masks["started"][started] += 1
        masks["implemented"][implemented] += 1
        masks["uncertain"][uncertain] += 1
        masks["certain_started"][started & ~uncertain] += 1
        masks["certain_implemented"][implemented & ~uncertain] += 1
        masks["possible_started"][
            (started & ~uncertain) | (uncertain & (started | could_start))
        ] += 1
        masks["possible_implemented"][
            (implemented & ~uncertain) | (uncertain & (implemented | could_implement))
        ] += 1

    certain = {figure: list(accumulate(change[:-1])) for figure, change in changes.items()}

    def count(figure, i):
        # The certain ones count alike in a figure and in its certain and possible bounds.
        base = figure.removeprefix("certain_").removeprefix("possible_")
        mine = certain[base][i] if base in certain else 0
        return mine + sum(n for mask, n in masks[figure].items() if mask >> i & 1)

    figures = (
        "started",
        "implemented",
        "uncertain",
        "certain_started",
        "certain_implemented",
        "possible_started",
        "possible_implemented",
    )
    return [
        MonthPoint(
            day=day,
            total=len(histories),
            **{figure: count(figure, i) for figure in figures},
        )
        for i, day in enumerate(days)
    ]


# The drawing: an SVG's coordinates, in its own units (viewBox). The page scales it.
WIDTH, HEIGHT = 560, 320
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 16, 40
# A year's label needs about this many months of room under the axis.
MONTHS_FOR_A_LABEL = 3


@dataclass(frozen=True)
class YearTick:
    x: float  # where the year begins (a vertical line), or None for the first year
    label_x: float  # the middle of the year's months
    year: int | None  # None where its few months leave no room for the label


@dataclass(frozen=True)
class ValueTick:
    y: float
    value: int


class ProgressChart:
    """A series (see monthly_progress) with what an SVG needs to draw it: the lines of the
    started and implemented counts and, where figures are uncertain, the band each could be
    in. The template, templates/includes/progress_chart.html, draws it."""

    width, height = WIDTH, HEIGHT
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def __init__(self, points):
        self.points = points
        self.total = points[-1].total if points else 0
        self.max_uncertain = max((point.uncertain for point in points), default=0)

    def __bool__(self):
        return bool(self.points and self.total)

    @property
    def first(self):
        return self.points[0]

    @property
    def last(self):
        return self.points[-1]

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"

    def x(self, i):
        if len(self.points) == 1:
            return (self.left + self.right) / 2
        return self.left + (self.right - self.left) * i / (len(self.points) - 1)

    def y(self, value):
        return self.bottom - (self.bottom - self.top) * value / self.total

    def _line(self, values):
        return "M" + " L".join(
            f"{self.x(i):.1f},{self.y(value):.1f}" for i, value in enumerate(values)
        )

    def _band(self, lows, highs):
        """The area between two lines, or "" where they never part."""
        if lows == highs:
            return ""
        top = [f"{self.x(i):.1f},{self.y(v):.1f}" for i, v in enumerate(highs)]
        bottom = [f"{self.x(i):.1f},{self.y(v):.1f}" for i, v in reversed(list(enumerate(lows)))]
        return "M" + " L".join(top + bottom) + " Z"

    @property
    def started_line(self):
        return self._line([point.started for point in self.points])

    @property
    def implemented_line(self):
        return self._line([point.implemented for point in self.points])

    @property
    def started_band(self):
        return self._band(
            [point.certain_started for point in self.points],
            [point.possible_started for point in self.points],
        )

    @property
    def implemented_band(self):
        return self._band(
            [point.certain_implemented for point in self.points],
            [point.possible_implemented for point in self.points],
        )

    @property
    def single_point(self):
        """With one month only there is no line: the template marks the point (x0, the ys)."""
        return len(self.points) == 1

    @property
    def x0(self):
        return self.x(0)

    @property
    def started_y0(self):
        return self.y(self.first.started)

    @property
    def implemented_y0(self):
        return self.y(self.first.implemented)

    @property
    def value_ticks(self):
        """0, about half, and the total."""
        values = sorted({0, round(self.total / 2), self.total})
        return [ValueTick(self.y(value), value) for value in values]

    @property
    def year_ticks(self):
        """A line where each year begins and the year's label under the middle of its months
        (left out where fewer than MONTHS_FOR_A_LABEL months leave no room for it)."""
        years = defaultdict(list)
        for i, point in enumerate(self.points):
            years[point.day.year].append(i)
        ticks = []
        for year, months in years.items():
            first, last = months[0], months[-1]
            ticks.append(
                YearTick(
                    x=self.x(first) if first else None,
                    label_x=(self.x(first) + self.x(last)) / 2,
                    year=year if len(months) >= MONTHS_FOR_A_LABEL else None,
                )
            )
        return ticks
