"""The board: lanes of open orders to drag between, the dialog asking for a move's facts,
the order drawer, search and filters."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from dashboard.components.filters import option_select, search_box
from dashboard.components.kanban import chime_toggle, kanban_board
from dashboard.components.shell import page_frame
from dashboard.components.ship_dialog import field_error, ship_fields
from dashboard.domain.board import LANES
from dashboard.state.board import (
    AGE_OPTIONS,
    DELIVERY_OPTIONS,
    LANE_VARS,
    PAYMENT_OPTIONS,
    SHIPPED_OPTIONS,
    BoardState,
)


def _live_badge() -> rx.Component:
    return rx.cond(
        has_connection_errors,
        rx.badge(rx.icon("wifi-off", size=12), "Reconnecting…", color_scheme="red",
                 variant="soft", id="board-live"),
        rx.badge(rx.box(width="7px", height="7px", border_radius="50%",
                        background="var(--green-9)"), "Live", color_scheme="green",
                 variant="soft", id="board-live"),
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        option_select(PAYMENT_OPTIONS, BoardState.payment_method,
                      BoardState.set_payment_method, "board-payment", min_width="160px"),
        option_select(DELIVERY_OPTIONS, BoardState.delivery_method,
                      BoardState.set_delivery_method, "board-delivery", min_width="160px"),
        option_select(AGE_OPTIONS, BoardState.age, BoardState.set_age, "board-age",
                      min_width="160px"),
        option_select(SHIPPED_OPTIONS, BoardState.shipped_window,
                      BoardState.set_shipped_window, "board-shipped", min_width="150px"),
        rx.cond(
            BoardState.filtered,
            rx.button(rx.icon("x", size=14), "Clear", variant="ghost", color_scheme="gray",
                      size="2", on_click=BoardState.clear_filters, id="board-clear"),
        ),
        rx.spacer(),
        chime_toggle(),
        _live_badge(),
        align="center",
        spacing="3",
        padding_bottom="12px",
        wrap="wrap",
    )


def _field(label: str, control: rx.Component, name: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), control,
                     field_error(BoardState.ask_errors, name, "ask"), spacing="1", width="100%")


def _payment_fields() -> rx.Component:
    return rx.vstack(
        rx.text("Customer: ", BoardState.ask_customer, size="2", color_scheme="gray"),
        _field("Paid by", rx.select.root(
            rx.select.trigger(id="ask-method", width="100%"),
            rx.select.content(*[rx.select.item(text, value=v) for v, text in PAYMENT_OPTIONS[1:]]),
            name="method", default_value=BoardState.ask_method,
        ), "method"),
        _field(
            rx.cond(BoardState.ask_reference_required, "Bank reference or cheque number",
                    "Reference (optional)"),
            rx.input(name="reference", placeholder="e.g. WBC 30-11 #4471 or cheque 000123",
                     id="ask-reference", auto_focus=True, max_length=200, width="100%"),
            "reference",
        ),
        spacing="3",
        width="100%",
    )


def _shipping_fields() -> rx.Component:
    return rx.vstack(
        rx.text("Customer: ", BoardState.ask_customer, size="2", color_scheme="gray"),
        ship_fields(BoardState.ask_lines, BoardState.ask_errors, "ask"),
        spacing="3",
        width="100%",
    )


def _hold_fields() -> rx.Component:
    return _field("Why is it on hold?", rx.text_area(
        name="reason", id="ask-reason", max_length=500, auto_focus=True, width="100%",
        placeholder="e.g. Customer asked us to wait until Monday"), "reason")


def _facts_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(BoardState.ask_title),
            rx.form(
                rx.vstack(
                    rx.match(
                        BoardState.ask,
                        ("payment", _payment_fields()),
                        ("shipping", _shipping_fields()),
                        ("hold", _hold_fields()),
                        rx.fragment(),
                    ),
                    rx.hstack(
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                                  on_click=BoardState.cancel_move, id="ask-cancel"),
                        rx.button("Confirm", type="submit", id="ask-confirm"),
                        justify="end",
                        width="100%",
                        spacing="3",
                    ),
                    spacing="4",
                ),
                on_submit=BoardState.confirm_move,
                reset_on_submit=False,
            ),
            max_width="440px",
            id="ask-dialog",
        ),
        open=BoardState.ask != "",
        on_open_change=BoardState.dialog_open_change,
    )


def _drawer_body() -> rx.Component:
    d = BoardState.drawer
    muted = {"size": "2", "color_scheme": "gray"}
    return rx.vstack(
        rx.hstack(
            rx.heading("#", d["number"].to(str), size="6"),
            rx.spacer(),
            rx.drawer.close(rx.icon_button(rx.icon("x", size=16), variant="ghost",
                                           color_scheme="gray", id="drawer-close")),
            width="100%",
            align="center",
        ),
        rx.text(d["status"].to(str), " · ", d["payment"].to(str), " · ", d["delivery"].to(str),
                **muted),
        rx.text(d["customer"].to(str), weight="bold"),
        rx.text(d["email"].to(str), " ", d["phone"].to(str), **muted),
        rx.text(d["address"].to(str), size="2"),
        rx.text("Total ", d["total"].to(str), weight="medium"),
        rx.cond(d["hold_reason"].to(str) != "",
                rx.callout(d["hold_reason"].to(str), icon="pause", color_scheme="orange",
                           size="1")),
        rx.cond(d["note"].to(str) != "",
                rx.callout(d["note"].to(str), icon="sticky-note", size="1")),
        rx.divider(),
        rx.foreach(d["lines"].to(list[dict]), lambda line: rx.hstack(
            rx.text(line["quantity"].to(str), " ×", size="2", weight="bold"),
            rx.text(line["name"].to(str), size="2"),
            rx.spacer(),
            rx.code(line["sku"].to(str), size="1"),
            width="100%",
        )),
        rx.divider(),
        rx.foreach(d["events"].to(list[dict]), lambda e: rx.hstack(
            rx.text(e["when"].to(str), size="1", color_scheme="gray", min_width="88px"),
            rx.text(e["what"].to(str), size="1"),
            rx.spacer(),
            rx.text(e["who"].to(str), size="1", color_scheme="gray"),
            width="100%",
        )),
        rx.link(rx.button(rx.icon("external-link", size=14), "Open the order", width="100%"),
                href="/orders/" + d["number"].to(str), width="100%", id="drawer-open-order"),
        spacing="3",
        width="100%",
    )


def _drawer() -> rx.Component:
    return rx.drawer.root(
        rx.drawer.overlay(),
        rx.drawer.portal(
            rx.drawer.content(
                rx.box(_drawer_body(), padding="20px", overflow_y="auto", height="100%"),
                width="380px",
                height="100%",
                top="0",
                right="0",
                left="auto",
                position="fixed",
                background="var(--color-panel-solid)",
                border_left="1px solid var(--gray-a5)",
                id="order-drawer",
            ),
        ),
        open=BoardState.drawer_open,
        on_open_change=BoardState.drawer_open_change,
        direction="right",
    )


def board_page() -> rx.Component:
    return page_frame(
        "Board",
        _toolbar(),
        rx.cond(
            BoardState.loaded,
            kanban_board(
                columns=[getattr(BoardState, LANE_VARS[lane.value]) for lane in LANES],
                revision=BoardState.revision,
                filter_key=BoardState.filter_key,
                on_move=BoardState.move,
                on_open=BoardState.open_card,
                on_load_more=BoardState.load_more,
            ),
            rx.center(rx.spinner(size="3"), height="50vh"),
        ),
        _facts_dialog(),
        _drawer(),
        actions=search_box(BoardState.q, BoardState.set_q,
                           "Find an order no., customer, email", "board-search"),
    )
