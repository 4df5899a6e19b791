"""The orders list's selection checkboxes and bulk-action bar with its result."""

from __future__ import annotations

import reflex as rx

from dashboard.state.orders import ACTIONS, BulkState, OutcomeRow


def row_checkbox(number) -> rx.Component:
    return rx.checkbox(checked=BulkState.selected.contains(number),
                       on_change=lambda _: BulkState.toggle(number),
                       class_name="select-order", aria_label="Select order")


def page_checkbox() -> rx.Component:
    return rx.checkbox(on_change=lambda _: BulkState.toggle_page(), id="select-page",
                       aria_label="Select this page")


def _fields() -> rx.Component:
    a = BulkState.action
    return rx.match(
        a,
        ("mark_paid", rx.input(name="reference", placeholder="Bank reference / cheque number",
                               id="bulk-reference")),
        ("mark_shipped", rx.hstack(rx.input(name="carrier", placeholder="Carrier"),
                                   rx.input(name="tracking_number",
                                            placeholder="Tracking (optional)"))),
        ("cancel", rx.input(name="reason", placeholder="Reason (required)", id="bulk-reason")),
        ("note", rx.text_area(name="body", placeholder="The note", id="bulk-note")),
        rx.fragment(),
    )


def _outcome(o: OutcomeRow) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(o.ok, "check", "x"), size=14,
                color=rx.cond(o.ok, "var(--green-10)", "var(--red-10)")),
        rx.text("#", o.number, weight="bold", size="2"),
        rx.text(o.message, size="2"),
        class_name="bulk-outcome", data_ok=rx.cond(o.ok, "1", "0"), align="center",
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(BulkState.dialog_title, " (", BulkState.count, " orders)"),
            rx.cond(
                BulkState.outcomes.length() > 0,
                rx.vstack(
                    rx.text(BulkState.summary, weight="medium", id="bulk-summary"),
                    rx.scroll_area(rx.vstack(rx.foreach(BulkState.outcomes, _outcome),
                                             spacing="1"), max_height="320px"),
                    rx.hstack(rx.button("Done", on_click=BulkState.close), justify="end",
                              width="100%"),
                ),
                rx.form(rx.vstack(
                    muted_text(),
                    _fields(),
                    rx.hstack(rx.button("Close", variant="soft", color_scheme="gray",
                                        type="button", on_click=BulkState.close),
                              rx.button("Apply to ", BulkState.count, " orders", type="submit",
                                        id="bulk-apply"),
                              justify="end", width="100%"),
                ), on_submit=BulkState.run),
            ),
        ),
        open=BulkState.action != "",
        on_open_change=lambda _: BulkState.close(),
    )


def muted_text() -> rx.Component:
    return rx.text("Each order is changed on its own: the result says which were done "
                   "and why the others were not.", size="1", color_scheme="gray")


def bulk_bar() -> rx.Component:
    return rx.fragment(
        rx.cond(
            BulkState.count > 0,
            rx.hstack(
                rx.text(BulkState.count, " selected", weight="medium", size="2",
                        id="bulk-count"),
                *[rx.button(text, size="1", variant="soft", on_click=BulkState.open_action(a),
                            id="bulk-" + a) for a, text in ACTIONS],
                rx.button("Select all matching", size="1", variant="ghost",
                          on_click=BulkState.select_all_matching),
                rx.button("Clear", size="1", variant="ghost", color_scheme="gray",
                          on_click=BulkState.clear),
                align="center", spacing="2", padding="8px 12px", margin_bottom="8px",
                background="var(--accent-3)", border_radius="var(--radius-3)",
            ),
        ),
        _dialog(),
    )
