"""The overview page: today's figures and the charts of a day, week or month, each with
its table and a CSV download. Owners and staff; every handler is guarded."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx

from dashboard.domain.accounts import STAFF_ROLES
from dashboard.domain.errors import DomainError
from dashboard.services import overview
from dashboard.services.db import read_session
from dashboard.state.accounts.auth import AuthState
from dashboard.state.accounts.guard import guarded
from dashboard.state.overview.charts import ChartView, csv_download

PERIOD_OPTIONS = [("day", "Day"), ("week", "Week"), ("month", "Month")]


class OverviewState(AuthState):
    kind: str = "week"
    anchor: str = ""  # the chosen day (ISO), "" for today
    period_label: str = ""
    today: list[list[str]] = []  # [figure, value]
    charts: list[ChartView] = []
    loaded: bool = False
    _csv: dict[str, str] = {}

    def _fetch(self) -> None:
        anchor = None
        if self.anchor:
            try:
                anchor = date.fromisoformat(self.anchor)
            except ValueError:
                self.anchor = ""
        with read_session() as session:
            report = overview.load_overview(session, kind=self.kind, anchor=anchor)
        self.period_label = report.period.label
        self.anchor = report.period.days[0].isoformat() if self.anchor else ""
        self.today = [[k, v] for k, v in report.today.items()]
        self.charts = [ChartView.of(c) for c in report.charts]
        self._csv = {c.key: c.csv for c in report.charts}
        self.loaded = True

    @rx.event
    @guarded(*STAFF_ROLES)
    def load(self):
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def set_kind(self, value: str):
        self.kind = value if value in overview.KINDS else "week"
        self._fetch()

    @rx.event
    @guarded(*STAFF_ROLES)
    def step(self, direction: int):
        """The period before (-1) or after (+1) the one shown; 0: back to today's."""
        try:
            direction = int(direction)
        except (TypeError, ValueError):
            return None
        try:
            if direction == 0:
                self.anchor = ""
            else:
                shown = overview.period(self.kind, date.fromisoformat(self.anchor)
                                        if self.anchor else None)
                edge = (shown.days[-1] + timedelta(days=1) if direction > 0
                        else shown.days[0] - timedelta(days=1))
                self.anchor = edge.isoformat()
            self._fetch()
        except OverflowError:  # stepped past year 1 or 9999
            self.anchor = ""
            return rx.toast.error("No figures that far away.")
        except DomainError as error:
            return rx.toast.error(error.message)
        return None

    @rx.event
    @guarded(*STAFF_ROLES)
    def download(self, key: str):
        return csv_download(self._csv, key,
                            f"overview-{key}-{self.anchor or 'today'}-{self.kind}.csv")
