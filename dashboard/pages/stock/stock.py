"""Stock: what is in the building, what incomplete orders hold, what the shelf should
hold, what is free; the orders behind a held figure; shelf counts."""

import reflex as rx

from dashboard.components.charts import chart_card
from dashboard.components.filters import option_select, search_box
from dashboard.components.shell import page_frame
from dashboard.domain.stock.enums import STOCK_FILTERS as FILTERS
from dashboard.pages.stock import receiving
from dashboard.state.stock import (
    FILTER_LABELS,
    SORT_OPTIONS,
    Holder,
    Movement,
    StockLine,
    StockState,
)

ROUTE = "/stock"
S = StockState
_LEVEL_COLORS = (("out", "red"), ("low", "amber"), "green")
_HELP = ("On hand: units in the building. Held: promised to incomplete orders. "
         "Pulled: of those, already picked (in a tote or at the counter). "
         "On shelf: what a count of the bin should find. Free: what can still be sold.")


def _filters() -> rx.Component:
    chips = [
        rx.button(FILTER_LABELS[name], " ", S.counts.get(name, 0), size="1",
                  variant=rx.cond(S.only == name, "solid", "soft"),
                  color_scheme={"out": "red", "low": "amber"}.get(name, "gray"),
                  on_click=S.set_only(name), id=f"stock-filter-{name}")
        for name in FILTERS
    ]
    return rx.hstack(*chips, rx.spacer(),
                     option_select(SORT_OPTIONS, S.sort, S.set_sort, "stock-sort",
                                   min_width="210px", size="1"),
                     align="center", spacing="2", padding_bottom="8px", wrap="wrap")


def _number(value, **props) -> rx.Component:
    return rx.table.cell(rx.text(value, size="2", **props), justify="end",
                         style={"font_variant_numeric": "tabular-nums"})


def _row(row: StockLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.link(rx.text(row.sku, weight="bold", size="2"), href="#",
                    on_click=S.open_product(row.sku).prevent_default),
            rx.text(row.name, size="1", color_scheme="gray"),
            rx.cond(~row.active, rx.badge("inactive", size="1", color_scheme="gray")),
        ),
        rx.table.cell(rx.code(row.bin, size="1")),
        _number(row.on_hand),
        rx.table.cell(rx.text(row.held, size="2"),
                      rx.cond(row.orders > 0,
                              rx.text(row.orders, rx.cond(row.orders == 1, " order", " orders"),
                                      size="1", color_scheme="gray")),
                      justify="end"),
        _number(row.pulled, color_scheme="gray"),
        _number(row.on_shelf, weight="bold"),
        rx.table.cell(rx.badge(row.available, color_scheme=rx.match(row.level, *_LEVEL_COLORS),
                               variant="soft", class_name="stock-free"), justify="end"),
        rx.table.cell(rx.text(row.counted, size="1", color_scheme="gray"), white_space="nowrap"),
        rx.table.cell(rx.button(rx.icon("clipboard-check", size=13), "Count", size="1",
                                variant="soft", on_click=S.start_count(row.sku),
                                class_name="stock-count"), justify="end"),
        class_name="stock-row", data_sku=row.sku, align="center",
    )


def _table() -> rx.Component:
    heads = [("Product", "start"), ("Bin", "start"), ("On hand", "end"), ("Held", "end"),
             ("Pulled", "end"), ("On shelf", "end"), ("Free", "end"), ("Last count", "start"),
             ("", "end")]
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h, justify=j)
                                       for h, j in heads])),
        rx.table.body(rx.foreach(S.rows, _row)),
        variant="surface", size="1", width="100%", id="stock-table",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text(S.total, " products · page ", S.page, " of ", S.page_count, size="2",
                color_scheme="gray"),
        rx.button("Previous", size="1", variant="soft", color_scheme="gray",
                  disabled=S.page <= 1, on_click=S.go_to_page(S.page - 1)),
        rx.button("Next", size="1", variant="soft", color_scheme="gray",
                  disabled=S.page >= S.page_count, on_click=S.go_to_page(S.page + 1)),
        justify="end", align="center", spacing="3", padding_top="12px",
    )


def _holder(h: Holder) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link("#", h.number, href="/orders/" + h.number.to(str))),
        rx.table.cell(rx.text(h.status, size="1"),
                      rx.cond(h.pulled, rx.badge("pulled", size="1", color_scheme="blue"))),
        rx.table.cell(rx.text(h.customer, size="1")),
        rx.table.cell(rx.text(h.placed, size="1", color_scheme="gray")),
        rx.table.cell(rx.text(h.units, size="2", weight="bold"), justify="end"),
        class_name="stock-holder",
    )


def _movement(m: Movement) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(m.when, size="1"), white_space="nowrap"),
        rx.table.cell(rx.text(m.change, size="1", weight="medium")),
        rx.table.cell(rx.text(m.reason, size="1"),
                      rx.cond(m.order != "", rx.link(" #", m.order, href="/orders/" + m.order,
                                                     size="1")),
                      rx.text(m.note, size="1", color_scheme="gray")),
        rx.table.cell(rx.text(m.who, size="1", color_scheme="gray")),
    )


def _detail() -> rx.Component:
    d = S.detail
    return rx.dialog.root(
        rx.dialog.content(
            rx.cond(d, rx.vstack(
                rx.hstack(rx.dialog.title(d.sku, " · ", d.name, margin="0"), rx.spacer(),
                          rx.dialog.close(rx.icon_button(rx.icon("x", size=16), variant="ghost",
                                                         color_scheme="gray")),
                          width="100%", align="center"),
                rx.text("Bin ", d.bin, rx.cond(d.barcode != "", " · barcode " + d.barcode, ""),
                        size="2", color_scheme="gray"),
                rx.hstack(*[rx.vstack(rx.text(title, size="1", color_scheme="gray"),
                                      rx.text(value, size="5", weight="bold"), spacing="0")
                            for title, value in (("On hand", d.on_hand), ("Held", d.held),
                                                 ("Pulled", d.pulled), ("On shelf", d.on_shelf),
                                                 ("Free", d.available))],
                          spacing="6", id="stock-detail-figures"),
                receiving.point_form(),
                rx.cond(S.detail_chart, chart_card(S.detail_chart, S.download,
                                                   on_click=S.open_point)),
                rx.heading("Held by ", d.orders, " incomplete orders",
                           rx.cond(d.orders > S.holders.length(),
                                   rx.text.span(" (the oldest ", S.holders.length(), ")",
                                                color_scheme="gray", weight="regular")),
                           size="3"),
                rx.cond(S.holders.length() > 0,
                        rx.table.root(rx.table.body(rx.foreach(S.holders, _holder)),
                                      size="1", width="100%", id="stock-holders"),
                        rx.text("No incomplete order holds any.", size="2",
                                color_scheme="gray")),
                rx.heading("Recent movements", size="3"),
                rx.table.root(rx.table.body(rx.foreach(S.movements, _movement)), size="1",
                              width="100%", id="stock-movements"),
                rx.hstack(rx.spacer(),
                          rx.button(rx.icon("clipboard-check", size=14), "Count this bin",
                                    on_click=S.start_count(d.sku)),
                          width="100%"),
                spacing="3", width="100%",
            )),
            max_width="760px", id="stock-detail",
        ),
        open=S.detail_open, on_open_change=S.detail_open_change,
    )


def _count_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Count ", S.count_sku, " · bin ", S.count_bin),
            rx.dialog.description(
                "Count the units in the bin. It should hold ", rx.text.strong(S.count_expected),
                " (on hand less what is being picked or waits at the counter). "
                "A different count changes on hand by the difference.", size="2"),
            rx.form(
                rx.vstack(
                    rx.input(name="counted", type="number", min=0, step=1, placeholder="Units counted",
                             auto_focus=True, id="count-input", size="3", width="200px"),
                    rx.cond(S.count_error != "",
                            rx.callout(S.count_error, icon="triangle-alert", color_scheme="red",
                                       size="1", id="count-error")),
                    rx.hstack(rx.spacer(),
                              rx.dialog.close(rx.button("Cancel", variant="soft",
                                                        color_scheme="gray", type="button")),
                              rx.button("Record the count", type="submit", id="count-confirm"),
                              width="100%"),
                    spacing="3", padding_top="12px",
                ),
                on_submit=S.confirm_count, reset_on_submit=False,
            ),
            max_width="460px", id="count-dialog",
        ),
        open=S.count_open, on_open_change=S.count_open_change,
    )


def stock_page() -> rx.Component:
    return page_frame(
        "Stock",
        rx.text(_HELP, size="1", color_scheme="gray", padding_bottom="8px"),
        _filters(),
        rx.cond(S.rows.length() > 0, _table(),
                rx.cond(S.loaded, rx.center(rx.text("No products match.", color_scheme="gray"),
                                            padding="48px"))),
        _pager(),
        rx.heading("Across products", size="3", padding_top="16px"),
        rx.grid(rx.foreach(S.charts, lambda c: chart_card(c, S.download)),
                columns=rx.breakpoints(initial="1", lg="3"), spacing="3", width="100%",
                padding_top="8px", id="stock-charts"),
        _detail(),
        _count_dialog(),
        receiving.receive_dialog(),
        receiving.reorder_dialog(),
        actions=rx.hstack(receiving.actions(),
                          search_box(S.q, S.set_q, "SKU, name, barcode or bin", "stock-search"),
                          spacing="3", align="center"),
    )
