"""The Stock page's receiving and reordering: the delivery dialog (scan or type SKUs and
quantities), the reorder list, and the reorder point form of a product."""

import reflex as rx

from dashboard.state.stock import ReceivingState, ReorderLine, StockState

R = ReceivingState


def actions() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("package-plus", size=14), "Receive delivery", size="2",
                  on_click=R.start_receiving, id="receive-open"),
        rx.button(rx.icon("list-restart", size=14), "Reorder list", size="2", variant="soft",
                  on_click=R.open_reorder, id="reorder-open"),
        spacing="2",
    )


def receive_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Receive a delivery"),
            rx.dialog.description(
                "Scan each unit's barcode (one per line) or type a SKU and a quantity per "
                "line, e.g. “MUG-01 12”. The delivery is booked in as one, with its reference.",
                size="2"),
            rx.form(
                rx.vstack(
                    rx.input(name="supplier", placeholder="Supplier", id="receive-supplier",
                             width="100%"),
                    rx.input(name="reference", placeholder="Delivery or invoice reference",
                             id="receive-reference", width="100%"),
                    rx.text_area(name="lines", placeholder="SKU quantity, one per line",
                                 rows="8", id="receive-lines", width="100%",
                                 style={"font_family": "var(--code-font-family)"}),
                    rx.cond(R.receive_error != "",
                            rx.callout(R.receive_error, icon="triangle-alert",
                                       color_scheme="red", size="1", id="receive-error")),
                    rx.hstack(rx.spacer(),
                              rx.dialog.close(rx.button("Cancel", variant="soft",
                                                        color_scheme="gray", type="button")),
                              rx.button("Book the delivery in", type="submit",
                                        id="receive-confirm"),
                              width="100%"),
                    spacing="3", padding_top="12px",
                ),
                on_submit=R.confirm_receiving, reset_on_submit=False,
            ),
            max_width="520px", id="receive-dialog",
        ),
        open=R.receive_open, on_open_change=R.receive_open_change,
    )


def _reorder_row(r: ReorderLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r.sku, weight="bold", size="2"),
                      rx.text(r.name, size="1", color_scheme="gray")),
        rx.table.cell(rx.text(r.free), justify="end"),
        rx.table.cell(rx.text(r.point), justify="end"),
        class_name="reorder-row",
    )


def reorder_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("To reorder"),
            rx.dialog.description("Products whose free units are at or below their reorder "
                                  "point (or the shop's low threshold). The merchant gets "
                                  "an email once a day when products reach it.", size="2"),
            rx.cond(R.reorder.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(
                            rx.table.column_header_cell("Product"),
                            rx.table.column_header_cell("Free", justify="end"),
                            rx.table.column_header_cell("Reorder at", justify="end"))),
                        rx.table.body(rx.foreach(R.reorder, _reorder_row)),
                        size="1", width="100%", id="reorder-table"),
                    rx.text("Nothing to reorder.", color_scheme="gray", size="2")),
            max_width="560px", id="reorder-dialog",
        ),
        open=R.reorder_open, on_open_change=R.reorder_open_change,
    )


def point_form() -> rx.Component:
    d = StockState.detail
    return rx.form(
        rx.hstack(
            rx.text("Reorder at", size="2"),
            rx.input(name="reorder_point", type="number", min=0, step=1, size="1",
                     default_value=d.reorder_point, placeholder="shop's threshold",
                     width="140px", id="reorder-point", key=d.sku),
            rx.text("free units", size="2", color_scheme="gray"),
            rx.button("Save", size="1", variant="soft", type="submit", id="reorder-save"),
            rx.cond(R.point_error != "", rx.text(R.point_error, color_scheme="red", size="1")),
            align="center", spacing="2",
        ),
        on_submit=R.set_point, reset_on_submit=False,
    )
