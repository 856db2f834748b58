"""The statistics window's plots, drawn with pyqtgraph in colours taken from the app's palette.

Imported only when the window opens: pyqtgraph and numpy cost start-up time no one else needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette

from flashcards.core.progress import Rating
from flashcards.core.statistics import FORECAST_DAYS, Statistics
from flashcards.formats.html import text_line

from . import theme

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))
# Tick text a little under the window's own, as in a printed chart.
_TICK_POINTS = 9
# Each plot's height: enough for a bar to read, small enough for two rows on a laptop screen.
_ROW_HEIGHT = 230


@dataclass(frozen=True)
class PlotColours:
    """What each plot is drawn in; one set for the light look, one for the dark."""

    background: QColor
    text: QColor
    axis: QColor
    empty: QColor  # a day with no review in the heatmap
    accent: QColor
    new: QColor
    learning: QColor
    relearning: QColor
    young: QColor
    mature: QColor
    suspended: QColor

    @classmethod
    def of(cls, palette: QPalette) -> PlotColours:
        """Colours from the palette, and the deck list's New / Learning / Due colours for the
        states and the answer buttons, so a colour means the same on every screen."""
        background = palette.color(QPalette.ColorRole.Window)
        blue, red, green = (theme.count_color(kind, 1) for kind in ("new", "learning", "due"))
        return cls(
            background=background, text=palette.color(QPalette.ColorRole.WindowText),
            axis=palette.color(QPalette.ColorRole.PlaceholderText),
            empty=palette.color(QPalette.ColorRole.Midlight),
            accent=palette.color(QPalette.ColorRole.Highlight),
            new=blue, learning=faded(red, 0.55, background), relearning=red,
            young=faded(green, 0.55, background), mature=green,
            suspended=theme.count_color("none", 0))

    def rating(self, rating: Rating) -> QColor:
        # As on the review screen's buttons: Again red, Hard grey, Good green, Easy blue.
        return {Rating.AGAIN: self.relearning, Rating.HARD: self.suspended,
                Rating.GOOD: self.mature, Rating.EASY: self.new}[rating]


def faded(colour: QColor, share: float, background: QColor) -> QColor:
    """`colour` laid over `background` at `share` opacity, as one solid colour."""
    mix = lambda a, b: round(a * share + b * (1 - share))  # noqa: E731
    return QColor(mix(colour.red(), background.red()), mix(colour.green(), background.green()),
                  mix(colour.blue(), background.blue()))


class StatisticsPlots(pg.GraphicsLayoutWidget):
    """Every plot of the window in one scene. The items hold what is drawn: tests read them."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ci.setSpacing(18)
        self.ci.setContentsMargins(8, 8, 8, 8)
        add = self.ci.addItem
        self.heatmap_plot = Chart()
        add(self.heatmap_plot, row=0, col=0, colspan=2)
        self.due_plot, self.states_plot = Chart(), Chart()
        add(self.due_plot, row=1, col=0)
        add(self.states_plot, row=1, col=1)
        self.retention_plot, self.buttons_plot = Chart(dates=True), Chart()
        add(self.retention_plot, row=2, col=0)
        add(self.buttons_plot, row=2, col=1)
        self.time_plot = Chart(dates=True)
        add(self.time_plot, row=3, col=0, colspan=2)
        self.stability_plot, self.retrievability_plot = Chart(), Chart()
        add(self.stability_plot, row=4, col=0)
        add(self.retrievability_plot, row=4, col=1)
        self.setMinimumHeight(5 * _ROW_HEIGHT)
        self.heatmap_plot.view.setAspectLocked(True)  # square days
        self.heatmap_plot.view.invertY(True)  # Monday on top
        self.states_plot.view.invertY(True)  # the first state on top
        self.reviews_per_day = pg.ScatterPlotItem(symbol="s", pxMode=False, size=0.86,
                                                  hoverable=True, tip=_day_tip)
        self.heatmap_plot.view.addItem(self.reviews_per_day)
        self.due_per_day = _bars(self.due_plot)
        self.card_states = _bars(self.states_plot)
        self.state_counts: list[pg.TextItem] = []  # the number at the end of each state's bar
        self.young_retention = pg.PlotDataItem(connect="finite")
        self.mature_retention = pg.PlotDataItem(connect="finite")
        for line in (self.young_retention, self.mature_retention):
            self.retention_plot.view.addItem(line)
        self.answer_buttons = {rating: _bars(self.buttons_plot) for rating in Rating}
        self.buttons_plot.getAxis("bottom").setHeight(46)  # two lines under each group
        self.time_per_day = _bars(self.time_plot)
        self.stability = _bars(self.stability_plot)
        self.retrievability = _bars(self.retrievability_plot)

    def all_plots(self) -> list[Chart]:
        return [self.heatmap_plot, self.due_plot, self.states_plot, self.retention_plot,
                self.buttons_plot, self.time_plot, self.stability_plot, self.retrievability_plot]

    def titles_text(self) -> str:
        """Every plot's title (each says its figures), as plain text."""
        return ". ".join(text_line(plot.titleLabel.text) for plot in self.all_plots())

    def show_statistics(self, stats: Statistics, colours: PlotColours) -> None:
        self.setBackground(colours.background)
        for plot in self.all_plots():
            _style(plot, colours)
        self._show_reviews(stats, colours)
        self._show_due(stats, colours)
        self._show_states(stats, colours)
        self._show_retention(stats, colours)
        self._show_buttons(stats, colours)
        self._show_time(stats, colours)
        self._show_memory(stats, colours)

    # -- one method a plot ----------------------------------------------------------------------
    def _show_reviews(self, stats: Statistics, colours: PlotColours) -> None:
        first_monday = stats.first_day - timedelta(days=stats.first_day.weekday())
        days = [stats.first_day + timedelta(days=n)
                for n in range((stats.today - stats.first_day).days + 1)]
        counts = [stats.reviews_by_day.get(day, 0) for day in days]
        busiest = max(counts, default=0) or 1
        # Four shades, by how near each day came to the busiest one.
        shades = [faded(colours.accent, share, colours.background) for share in (0.3, 0.5, 0.75, 1)]
        self.reviews_per_day.setData(
            x=[(day - first_monday).days // 7 for day in days], y=[day.weekday() for day in days],
            data=[(day, count) for day, count in zip(days, counts)],
            brush=[shades[min(3, math.ceil(4 * count / busiest) - 1)] if count else colours.empty
                   for count in counts], pen=None)
        weeks = (stats.today - first_monday).days // 7 + 1
        self.heatmap_plot.setRange(xRange=(-0.5, weeks - 0.5), yRange=(-0.5, 6.5), padding=0)
        self.heatmap_plot.getAxis("bottom").setTicks([_month_ticks(first_monday, weeks)])
        self.heatmap_plot.getAxis("left").setTicks([_WEEKDAYS])
        streak = f"{stats.streak} day{'s' * (stats.streak != 1)}"
        _title(self.heatmap_plot, f"Reviews per day: {stats.total_reviews:,} — streak {streak}",
               colours)

    def _show_due(self, stats: Statistics, colours: PlotColours) -> None:
        self.due_per_day.setOpts(x=list(range(FORECAST_DAYS)), height=list(stats.forecast),
                                 width=0.8, brush=colours.accent)
        self.due_plot.getAxis("bottom").setTicks([[(0, "today")] + [
            (day, f"+{day}") for day in range(7, FORECAST_DAYS, 7)]])
        self.due_plot.setRange(xRange=(-0.6, FORECAST_DAYS - 0.4), yRange=(0, max(stats.forecast)
                                                                           or 1))
        _title(self.due_plot, f"Due in the next 30 days: {sum(stats.forecast):,}", colours)

    def _show_states(self, stats: Statistics, colours: PlotColours) -> None:
        cards = stats.cards
        states = (("New", cards.new, colours.new), ("Learning", cards.learning, colours.learning),
                  ("Young", cards.young, colours.young), ("Mature", cards.mature, colours.mature),
                  ("Relearning", cards.relearning, colours.relearning),
                  ("Suspended", cards.suspended, colours.suspended))
        # Lying down, the states' names have room to be read, and each count to be written.
        rows = range(len(states))
        self.card_states.setOpts(x0=[0] * len(states), y=list(rows),
                                 width=[n for _l, n, _c in states], height=0.7,
                                 brushes=[colour for _l, _n, colour in states])
        for text in self.state_counts:
            self.states_plot.view.removeItem(text)
        self.state_counts = []
        for row, (_label, count, _colour) in zip(rows, states):
            text = pg.TextItem(f" {count:,}", color=colours.text, anchor=(0, 0.5))
            text.setPos(count, row)
            self.states_plot.view.addItem(text)
            self.state_counts.append(text)
        self.states_plot.getAxis("left").setTicks([[(row, label) for row, (label, _n, _c)
                                                    in zip(rows, states)]])
        most = max(n for _l, n, _c in states) or 1
        self.states_plot.setRange(xRange=(0, most * 1.2), yRange=(-0.6, len(states) - 0.4),
                                  padding=0)
        _title(self.states_plot, f"Cards: {cards.total:,}", colours)

    def _show_retention(self, stats: Statistics, colours: PlotColours) -> None:
        weeks = [_seconds(week.week) for week in stats.retention]
        shares = {kind: [100 * rate if (rate := getattr(w, kind).rate) is not None else math.nan
                         for w in stats.retention] for kind in ("young", "mature")}
        for item, kind, colour, symbol in ((self.young_retention, "young", colours.young, "o"),
                                           (self.mature_retention, "mature", colours.mature, "s")):
            # Weeks with no review are gaps in the line; with none at all, there is no line.
            drawn = any(not math.isnan(share) for share in shares[kind])
            item.setData(x=weeks if drawn else [], y=shares[kind] if drawn else [],
                         pen=pg.mkPen(colour, width=2), symbol=symbol, symbolSize=6,
                         symbolBrush=colour, symbolPen=None)
        seen = [share for share in shares["young"] + shares["mature"] if not math.isnan(share)]
        low = min(seen, default=100)
        # From a round figure under the lowest week, so a few points' change stays visible.
        # A little over 100, so a week all passed is not drawn on the frame.
        self.retention_plot.setRange(yRange=(max(0, 10 * math.floor(low / 10) - 10), 102),
                                     xRange=(weeks[0] - 4 * 86400, weeks[-1] + 4 * 86400),
                                     padding=0)
        # The title names the lines in their colours: a legend would sit on the points.
        _title(self.retention_plot, "Retention per week, % passed: "
               + _coloured("young", colours.young) + ", " + _coloured("mature", colours.mature),
               colours)

    def _show_buttons(self, stats: Statistics, colours: PlotColours) -> None:
        groups = (stats.buttons.learning, stats.buttons.young, stats.buttons.mature)
        for rating, bars in self.answer_buttons.items():
            bars.setOpts(x=[group + 0.2 * (int(rating) - 2.5) for group in range(3)],
                         height=[counts[int(rating) - 1] for counts in groups], width=0.18,
                         brush=colours.rating(rating))
        self.buttons_plot.getAxis("bottom").setTicks([[
            (group, f"{name}\n{_passed(counts)}") for group, (name, counts)
            in enumerate(zip(("Learning", "Young", "Mature"), groups))]])
        self.buttons_plot.setRange(xRange=(-0.5, 2.5), yRange=(0, max(map(max, groups)) or 1))
        _title(self.buttons_plot, "Answer buttons: " + " ".join(
            _coloured(rating.label, colours.rating(rating)) for rating in Rating), colours)

    def _show_time(self, stats: Statistics, colours: PlotColours) -> None:
        days = sorted(stats.seconds_by_day)
        self.time_per_day.setOpts(x=[_seconds(day) + 43200 for day in days],
                                  height=[stats.seconds_by_day[day] / 60 for day in days],
                                  width=0.8 * 86400, brush=colours.accent)
        self.time_plot.setRange(xRange=(_seconds(stats.first_day), _seconds(stats.today) + 86400),
                                yRange=(0, max(stats.seconds_by_day.values(), default=60) / 60),
                                padding=0.02)
        _title(self.time_plot, f"Minutes studied per day: {duration_text(stats.total_seconds)} "
                               "in all", colours)

    def _show_memory(self, stats: Statistics, colours: PlotColours) -> None:
        average = stats.average_retrievability
        for plot, bars, histogram, title, edge_text, every in (
                (self.stability_plot, self.stability, stats.stability,
                 "Stability: days until recall falls to 90%", _days_text, 1),
                (self.retrievability_plot, self.retrievability, stats.retrievability,
                 "Recall now" + (f": {average:.0%} on average" if average is not None else ""),
                 lambda share: f"{share:.0%}", 2)):
            bins = range(len(histogram.counts))
            bars.setOpts(x=list(bins), height=list(histogram.counts), width=0.8,
                         brush=colours.accent)
            # A histogram's ticks mark where each bin starts and ends.
            plot.getAxis("bottom").setTicks([[
                (i - 0.5, edge_text(edge)) for i, edge in enumerate(histogram.edges)
                if i % every == 0 and edge != math.inf]])
            plot.setRange(xRange=(-0.6, len(bins) - 0.4), yRange=(0, max(histogram.counts) or 1))
            _title(plot, title, colours)


def duration_text(seconds: float) -> str:
    """A length of time as a person says it: "45s", "12m", "3h 05m"."""
    if seconds < 59.5:
        return f"{round(seconds)}s"
    minutes = round(seconds / 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


class Chart(pg.GraphicsLayout):
    """A title over a view with an axis left and below: what PlotItem offers here, without the
    options panel and menus it builds out of sight, which no one opens on a chart to read and
    which took more than half of the time the plots took to build."""

    def __init__(self, dates: bool = False) -> None:
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(2)
        self.titleLabel = self.addLabel("", row=0, col=0, colspan=2)
        # A chart to read, not to pan or zoom: the wheel scrolls the page.
        self.view = pg.ViewBox(enableMouse=False, enableMenu=False)
        self.axes = {"left": pg.AxisItem("left"),
                     "bottom": pg.DateAxisItem("bottom") if dates else pg.AxisItem("bottom")}
        for axis in self.axes.values():
            axis.linkToView(self.view)
        self.addItem(self.axes["left"], row=1, col=0)
        self.addItem(self.view, row=1, col=1)
        self.addItem(self.axes["bottom"], row=2, col=1)

    def getAxis(self, name: str) -> pg.AxisItem:
        return self.axes[name]

    def setRange(self, **ranges) -> None:
        self.view.setRange(**ranges)

    def setTitle(self, html: str, **style) -> None:
        self.titleLabel.setText(html, **style)


def _bars(plot: Chart) -> pg.BarGraphItem:
    bars = pg.BarGraphItem(x=[], height=[], width=0.8, pen=None)
    plot.view.addItem(bars)
    return bars


def _style(plot: Chart, colours: PlotColours) -> None:
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(colours.axis))
        axis.setTextPen(pg.mkPen(colours.text))
        font = QFont()
        font.setPointSize(_TICK_POINTS)
        axis.setStyle(tickFont=font)


def _title(plot: Chart, html: str, colours: PlotColours) -> None:
    plot.setTitle(html, color=colours.text.name(), size="11pt")


def _coloured(text: str, colour: QColor) -> str:
    return f'<span style="color: {colour.name()}; font-weight: 600">{text}</span>'


def _passed(counts: tuple[int, ...]) -> str:
    """The share of answers other than Again, as the group's label says it."""
    total = sum(counts)
    return f"{(total - counts[0]) / total:.0%} passed" if total else ""


def _days_text(days: float) -> str:
    """A bin edge of the stability plot: 4d, 2w, 3mo, 1y."""
    if days < 7:
        return f"{days:g}d" if days else "0"
    if days < 30:
        return f"{round(days / 7)}w"
    if days < 365:
        return f"{round(days / 30.4)}mo"
    return f"{round(days / 365)}y"


def _seconds(day: date) -> float:
    """A day's local midnight as the time axes count it (seconds since the epoch)."""
    return datetime.combine(day, time()).timestamp()


def _month_ticks(first_monday: date, weeks: int) -> list[tuple[int, str]]:
    """Each month's name over its first week, with the year on the first shown and January's.
    A span with no month's start gets its first week named, so there is always a label."""
    ticks: list[tuple[int, str]] = []
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        if monday.day <= 7:
            month = _MONTHS[monday.month - 1]
            ticks.append((week, f"{month} {monday.year}" if not ticks or monday.month == 1
                          else month))
    return ticks or [(0, f"{_MONTHS[first_monday.month - 1]} {first_monday.year}")]


def _day_tip(x, y, data) -> str:
    day, count = data
    return f"{day.isoformat()}: {count} review{'s' * (count != 1)}"
