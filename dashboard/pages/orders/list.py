"""Orders list: status and payment filters, search, pagination."""

import reflex as rx

from dashboard.components.badges import order_status_badge, payment_status_badge
from dashboard.components.bulk_bar import bulk_bar, page_checkbox, row_checkbox
from dashboard.components.documents import batch_bar, documents_menu
from dashboard.components.filters import option_select, search_box
from dashboard.components.shell import page_frame
from dashboard.state.orders import (
    DELIVERY_OPTIONS,
    METHOD_OPTIONS,
    PAYMENT_OPTIONS,
    STATUS_OPTIONS,
    OrdersState,
)
from dashboard.state.view import OrderRow


def _select(options, value, on_change, id_: str) -> rx.Component:
    return option_select(options, value, on_change, id_, min_width="170px")


def _filters() -> rx.Component:
    return rx.hstack(
        _select(STATUS_OPTIONS, OrdersState.status, OrdersState.set_status, "status-filter"),
        _select(
            PAYMENT_OPTIONS,
            OrdersState.payment_status,
            OrdersState.set_payment_status,
            "payment-filter",
        ),
        _select(METHOD_OPTIONS, OrdersState.payment_method, OrdersState.set_payment_method,
                "method-filter"),
        _select(DELIVERY_OPTIONS, OrdersState.delivery_method, OrdersState.set_delivery_method,
                "delivery-filter"),
        rx.input(type="date", value=OrdersState.date_from, on_change=OrdersState.set_date_from,
                 size="2", id="date-from", aria_label="Placed from"),
        rx.text("–", color_scheme="gray"),
        rx.input(type="date", value=OrdersState.date_to, on_change=OrdersState.set_date_to,
                 size="2", id="date-to", aria_label="Placed until"),
        rx.cond(
            OrdersState.filtered,
            rx.button(
                rx.icon("x", size=14),
                "Clear",
                variant="ghost",
                color_scheme="gray",
                size="2",
                on_click=OrdersState.clear_filters,
            ),
        ),
        rx.spacer(),
        rx.text(OrdersState.range_label, size="2", color_scheme="gray", id="range-label"),
        rx.menu.root(
            rx.menu.trigger(rx.button(rx.icon("download", size=14), "Export", variant="soft",
                                      size="2", id="export-open")),
            rx.menu.content(
                rx.menu.item("Excel (orders, lines, payments, refunds)", id="export-xlsx",
                             on_click=OrdersState.export("xlsx")),
                rx.menu.item("CSV (a zip of four files)", id="export-csv",
                             on_click=OrdersState.export("csv")),
            ),
        ),
        align="center",
        spacing="3",
        padding_bottom="12px",
        wrap="wrap",
    )


def _row(row: OrderRow) -> rx.Component:
    muted = {"size": "1", "color_scheme": "gray"}
    return rx.table.row(
        rx.table.cell(row_checkbox(row.number)),
        rx.table.row_header_cell(
            rx.link(rx.text("#", row.number, weight="bold", font_family="var(--code-font-family)"),
                    href="/orders/" + row.number, class_name="order-link")
        ),
        rx.table.cell(
            rx.text(row.placed_date, size="2"),
            rx.text(row.placed_time, **muted),
            white_space="nowrap",
        ),
        rx.table.cell(
            rx.text(row.customer_name, size="2", weight="medium"),
            rx.text(row.customer_email, **muted),
        ),
        rx.table.cell(row.item_count, justify="end"),
        rx.table.cell(
            rx.text(row.total, weight="medium"),
            justify="end",
            white_space="nowrap",
            style={"font_variant_numeric": "tabular-nums"},
        ),
        rx.table.cell(
            rx.hstack(
                payment_status_badge(row.payment_status),
                rx.text(row.payment_method, **muted),
                spacing="2",
                align="center",
            ),
            white_space="nowrap",
        ),
        rx.table.cell(
            rx.hstack(
                rx.icon(
                    rx.cond(row.delivery_method == "pickup", "store", "truck"),
                    size=14,
                    color="var(--gray-10)",
                ),
                rx.text(rx.cond(row.delivery_method == "pickup", "Pickup", "Courier"), size="2"),
                spacing="1",
                align="center",
            )
        ),
        rx.table.cell(
            order_status_badge(row.status), class_name="status-cell", data_status=row.status
        ),
        rx.table.cell(documents_menu(row.number), justify="end"),
        class_name="order-row",
        align="center",
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(page_checkbox()),
            *[rx.table.column_header_cell(text, justify=justify, white_space="nowrap")
              for text, justify in (
            ("Order", "start"),
            ("Placed (" + OrdersState.tz_name + ")", "start"),
            ("Customer", "start"),
            ("Items", "end"),
            ("Total", "end"),
            ("Payment", "start"),
            ("Delivery", "start"),
            ("Status", "start"))],
            rx.table.column_header_cell(""),
        )),
        rx.table.body(rx.foreach(OrdersState.rows, _row)),
        variant="surface",
        size="1",
        width="100%",
        id="orders-table",
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("inbox", size=28, color="var(--gray-9)"),
            rx.text("No orders match these filters.", size="2", color_scheme="gray"),
            align="center",
        ),
        padding="48px",
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-3)",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text(
            "Page ", OrdersState.page, " of ", OrdersState.page_count, size="2", color_scheme="gray"
        ),
        rx.button(
            rx.icon("chevron-left", size=14),
            "Previous",
            variant="soft",
            color_scheme="gray",
            size="1",
            disabled=OrdersState.page <= 1,
            on_click=OrdersState.go_to_page(OrdersState.page - 1),
            id="prev-page",
        ),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=14),
            variant="soft",
            color_scheme="gray",
            size="1",
            disabled=OrdersState.page >= OrdersState.page_count,
            on_click=OrdersState.go_to_page(OrdersState.page + 1),
            id="next-page",
        ),
        justify="end",
        align="center",
        spacing="3",
        padding_top="12px",
    )


def orders_page() -> rx.Component:
    return page_frame(
        "Orders",
        _filters(),
        rx.cond(OrdersState.filter_error != "", rx.callout(OrdersState.filter_error, size="1",
                                                           color_scheme="red", icon="info")),
        bulk_bar(),
        batch_bar(),
        rx.cond(
            OrdersState.rows.length() > 0,
            _table(),
            rx.cond(OrdersState.loaded, _empty(), rx.fragment()),
        ),
        _pager(),
        actions=search_box(OrdersState.q, OrdersState.set_q,
                           "Order no., name, email, phone or SKU", "search", width="320px"),
    )
