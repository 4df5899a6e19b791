"""Audit log (owners only): who did what, when (merchant time), from which session."""

import reflex as rx

from dashboard.components.filters import option_select, search_box
from dashboard.components.shell import page_frame
from dashboard.state.accounts import OUTCOME_OPTIONS, SOURCE_OPTIONS, AuditRow, AuditState


def _row(row: AuditRow) -> rx.Component:
    muted = {"size": "1", "color_scheme": "gray"}
    return rx.table.row(
        rx.table.cell(rx.text(row.date, size="2"), rx.text(row.time, **muted), white_space="nowrap"),
        rx.table.cell(rx.text(row.actor, size="2", weight="medium"), rx.text(row.actor_kind, **muted)),
        rx.table.cell(rx.code(row.action, size="1")),
        rx.table.cell(rx.badge(row.outcome, color_scheme=rx.cond(row.outcome == "ok", "green", "red"),
                               variant="soft"), class_name="audit-outcome"),
        rx.table.cell(rx.text(row.target, size="2", word_break="break-all")),
        rx.table.cell(rx.text(row.source, **muted)),
        rx.table.cell(rx.text(row.detail, **muted, word_break="break-word")),
        class_name="audit-row",
        data_action=row.action,
        align="center",
    )


def _select(options, value, on_change, id_: str) -> rx.Component:
    return option_select(options, value, on_change, id_, min_width="150px")


def _filters() -> rx.Component:
    return rx.hstack(
        _select(SOURCE_OPTIONS, AuditState.source, AuditState.set_source, "audit-source"),
        rx.cond(AuditState.source == "access",
                _select(OUTCOME_OPTIONS, AuditState.outcome, AuditState.set_outcome,
                        "audit-outcome")),
        search_box(AuditState.q, AuditState.set_q, "Search person, action, target"),
        rx.spacer(),
        rx.text(AuditState.total, " entries · times in ", AuditState.tz_name, size="2",
                color_scheme="gray", id="audit-total"),
        rx.button(rx.icon("chevron-left", size=14), variant="soft", color_scheme="gray", size="1",
                  disabled=AuditState.page <= 1, on_click=AuditState.go_to_page(AuditState.page - 1)),
        rx.text(AuditState.page, " / ", AuditState.page_count, size="2"),
        rx.button(rx.icon("chevron-right", size=14), variant="soft", color_scheme="gray", size="1",
                  disabled=AuditState.page >= AuditState.page_count,
                  on_click=AuditState.go_to_page(AuditState.page + 1)),
        align="center",
        spacing="3",
        padding_bottom="12px",
    )


def audit_page() -> rx.Component:
    return page_frame(
        "Audit log",
        _filters(),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                "When", "Who", "Action", "Outcome", "Target", "From", "Detail")])),
            rx.table.body(rx.foreach(AuditState.rows, _row)),
            variant="surface",
            size="1",
            width="100%",
            id="audit-table",
        ),
    )
