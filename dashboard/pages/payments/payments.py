"""Payments: the unpaid queue (overdue and flagged orders; mark paid or cancel, one or many)
and the bank-statement import (upload, check the columns, preview, confirm)."""

import reflex as rx

from dashboard.components.filters import option_select, search_box
from dashboard.components.shell import page_frame
from dashboard.state.payments import (
    DATE_FORMAT_OPTIONS,
    METHOD_OPTIONS,
    NONE,
    ColumnChoice,
    LineRow,
    PaymentsState,
    UnpaidRow,
)

S = PaymentsState
MUTED = {"size": "1", "color_scheme": "gray"}
UPLOAD_ID = "statement-upload"
LINE_COLORS = {"matched": "green", "ambiguous": "amber", "unmatched": "gray",
               "already_imported": "blue", "debit": "gray"}


def _select(options, value, on_change, id_: str, width: str = "160px") -> rx.Component:
    return option_select(options, value, on_change, id_, min_width=width)


# --- the queue ---------------------------------------------------------------------------


def _notice() -> rx.Component:
    return rx.cond(
        S.notice != "",
        rx.callout(S.notice, icon=rx.cond(S.notice_ok, "check", "info"),
                   color_scheme=rx.cond(S.notice_ok, "green", "amber"), size="1",
                   margin_bottom="12px", id="payments-notice"),
    )


def _tabs_filter() -> rx.Component:
    return rx.hstack(
        rx.segmented_control.root(
            rx.segmented_control.item(rx.text("All unpaid ", S.count_all), value="all"),
            rx.segmented_control.item(rx.text("Overdue ", S.count_overdue), value="overdue"),
            rx.segmented_control.item(rx.text("Flagged ", S.count_flagged), value="flagged"),
            value=S.only, on_change=S.set_only, size="2", id="queue-filter",
        ),
        _select(METHOD_OPTIONS, S.method, S.set_method, "method-filter"),
        search_box(S.q, S.set_q, "Order no., customer", "queue-search", width="240px"),
        rx.spacer(),
        rx.cond(
            S.selected_count > 0,
            rx.hstack(
                rx.text(S.selected_count, " selected", size="2", weight="medium"),
                rx.button(rx.icon("banknote", size=14), "Mark paid", size="2",
                          on_click=S.open_pay(""), id="bulk-pay"),
                rx.button(rx.icon("ban", size=14), "Cancel", size="2", color_scheme="red",
                          variant="soft", on_click=S.open_cancel(""), id="bulk-cancel"),
                spacing="2", align="center",
            ),
        ),
        align="center", spacing="3", padding_bottom="12px", wrap="wrap",
    )


def _due(row: UnpaidRow) -> rx.Component:
    return rx.vstack(
        rx.text(row.due, size="2"),
        rx.cond(row.overdue, rx.badge(row.overdue_text, color_scheme="red", variant="soft",
                                      radius="full", class_name="overdue-badge")),
        spacing="1",
    )


def _actions(row: UnpaidRow) -> rx.Component:
    return rx.cond(
        row.flag != "",
        rx.hstack(
            rx.button("Accept", size="1", variant="soft", color_scheme="green",
                      on_click=S.resolve_flag(row.number, True)),
            rx.button("Dismiss", size="1", variant="soft", color_scheme="gray",
                      on_click=S.resolve_flag(row.number, False)),
            spacing="1",
        ),
        rx.hstack(
            rx.tooltip(rx.icon_button(rx.icon("banknote", size=14), size="1", variant="soft",
                                      on_click=S.open_pay(row.number), class_name="pay-one"),
                       content="Mark paid"),
            rx.tooltip(rx.icon_button(rx.icon("ban", size=14), size="1", variant="soft",
                                      color_scheme="red", on_click=S.open_cancel(row.number),
                                      class_name="cancel-one"),
                       content="Cancel"),
            spacing="1",
        ),
    )


def _row(row: UnpaidRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=S.selected.contains(row.number),
                                  on_change=lambda _: S.toggle(row.number))),
        rx.table.row_header_cell(rx.text("#", row.number, weight="bold",
                                         font_family="var(--code-font-family)")),
        rx.table.cell(rx.text(row.placed, size="2"), white_space="nowrap"),
        rx.table.cell(rx.text(row.customer_name, size="2", weight="medium"),
                      rx.text(row.customer_email, **MUTED)),
        rx.table.cell(rx.text(row.method, size="2")),
        rx.table.cell(rx.text(row.total, weight="medium"), justify="end", white_space="nowrap"),
        rx.table.cell(_due(row)),
        rx.table.cell(rx.cond(row.flag != "", rx.text(row.flag, size="1", color="var(--orange-11)"),
                              rx.cond(row.status == "on_hold", rx.badge("On hold"))),
                      max_width="280px"),
        rx.table.cell(_actions(row)),
        class_name="unpaid-row", data_number=row.number, align="center",
    )


def _queue_table() -> rx.Component:
    head = ["Order", "Placed", "Customer", "Method", "Total", "Due", "Needs a look", ""]
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(rx.checkbox(checked=S.all_visible_selected,
                                                    on_change=lambda _: S.toggle_all())),
            *[rx.table.column_header_cell(h, white_space="nowrap") for h in head],
        )),
        rx.table.body(rx.foreach(S.rows, _row)),
        variant="surface", size="1", width="100%", id="unpaid-table",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text("Page ", S.page, " of ", S.page_count, **MUTED),
        rx.button(rx.icon("chevron-left", size=14), "Previous", size="1", variant="soft",
                  color_scheme="gray", disabled=S.page <= 1, on_click=S.go_to_page(S.page - 1)),
        rx.button("Next", rx.icon("chevron-right", size=14), size="1", variant="soft",
                  color_scheme="gray", disabled=S.page >= S.page_count,
                  on_click=S.go_to_page(S.page + 1)),
        justify="end", align="center", spacing="3", padding_top="12px",
    )


def _rules() -> rx.Component:
    return rx.vstack(rx.foreach(S.rules, lambda r: rx.text(r, **MUTED)), spacing="0",
                     padding_top="12px")


def _pay_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Mark paid"),
            rx.dialog.description(
                rx.text("Orders: ", rx.foreach(S.pay_targets, lambda n: rx.text.span("#", n, " ")),
                        size="2"),
                rx.text("Each is recorded as paid in full, by you, now.", **MUTED),
            ),
            rx.form(
                rx.vstack(
                    rx.text("Bank reference or cheque number", size="2", weight="medium"),
                    rx.input(name="reference", placeholder="e.g. NAB 5521 or CHQ 004512",
                             max_length=200, width="100%", auto_focus=True, id="pay-reference"),
                    rx.checkbox("Email the customer a receipt", name="receipt",
                                default_checked=S.receipts_default),
                    rx.hstack(
                        rx.button("Back", type="button", variant="soft", color_scheme="gray",
                                  on_click=S.close_pay),
                        rx.button("Mark paid", type="submit", id="pay-submit"),
                        justify="end", width="100%", spacing="2",
                    ),
                    spacing="3",
                ),
                on_submit=S.submit_pay, reset_on_submit=True,
            ),
            max_width="460px",
        ),
        open=S.pay_open, on_open_change=S.pay_open_change,
    )


def _cancel_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Cancel unpaid orders"),
            rx.dialog.description(
                rx.text("Orders: ", rx.foreach(S.cancel_targets,
                                               lambda n: rx.text.span("#", n, " ")), size="2"),
                rx.text("Their stock goes back on sale. Paid orders are left alone.", **MUTED),
            ),
            rx.form(
                rx.vstack(
                    rx.text("Reason", size="2", weight="medium"),
                    rx.text_area(name="reason", placeholder="e.g. Not paid after two reminders",
                                 max_length=500, required=True, width="100%", id="cancel-reason"),
                    rx.checkbox("Email the customer that the order is cancelled", name="notify"),
                    rx.hstack(
                        rx.button("Back", type="button", variant="soft", color_scheme="gray",
                                  on_click=S.close_cancel),
                        rx.button("Cancel orders", type="submit", color_scheme="red",
                                  id="cancel-submit"),
                        justify="end", width="100%", spacing="2",
                    ),
                    spacing="3",
                ),
                on_submit=S.submit_cancel, reset_on_submit=True,
            ),
            max_width="460px",
        ),
        open=S.cancel_open, on_open_change=S.cancel_open_change,
    )


def _queue() -> rx.Component:
    return rx.box(
        _tabs_filter(),
        rx.cond(
            S.rows.length() > 0,
            _queue_table(),
            rx.cond(S.loaded, rx.center(
                rx.vstack(rx.icon("circle-check", size=28, color="var(--green-9)"),
                          rx.text("Nothing waiting here.", size="2", color_scheme="gray"),
                          align="center"),
                padding="48px", border="1px dashed var(--gray-a6)",
                border_radius="var(--radius-3)")),
        ),
        _pager(),
        _rules(),
        _pay_dialog(),
        _cancel_dialog(),
    )


# --- the statement import ----------------------------------------------------------------


def _upload() -> rx.Component:
    return rx.upload.root(
        rx.vstack(
            rx.icon("file-up", size=26, color="var(--gray-10)"),
            rx.text("Drop the bank statement (CSV) here, or click to choose it", size="2"),
            rx.text("Any bank's export: with or without a header, comma or semicolon, "
                    "one amount column or debit and credit.", **MUTED),
            align="center", spacing="1",
        ),
        id=UPLOAD_ID, accept={"text/csv": [".csv", ".txt"], "text/plain": [".csv", ".txt"]},
        max_files=1, multiple=False, border="1px dashed var(--gray-a7)",
        border_radius="var(--radius-3)", padding="24px", cursor="pointer",
        on_drop=S.upload_statement(rx.upload_files(upload_id=UPLOAD_ID)),
    )


def _column_select(field: str, value, allow_none: bool) -> rx.Component:
    items = [rx.select.item("—", value=NONE)] if allow_none else []
    return rx.select.root(
        rx.select.trigger(min_width="150px"),
        rx.select.content(*items, rx.foreach(S.columns, lambda c: rx.select.item(c.name,
                                                                                 value=c.index))),
        value=value, on_change=lambda v: S.set_mapping(field, v), size="1",
    )


def _text_toggle(column: ColumnChoice) -> rx.Component:
    return rx.checkbox(column.name, checked=S.map_text.contains(column.index),
                       on_change=lambda _: S.set_mapping("text", column.index), size="1")


def _mapping() -> rx.Component:
    def field(name: str, control: rx.Component) -> rx.Component:
        return rx.vstack(rx.text(name, **MUTED), control, spacing="1")

    return rx.card(
        rx.hstack(
            rx.text("Columns", weight="bold", size="2"),
            rx.badge(rx.match(S.mapping_source, ("remembered", "Remembered for this layout"),
                              ("chosen", "Your choice (remembered on confirm)"),
                              "Recognised automatically"), variant="soft", size="1"),
            spacing="2", align="center",
        ),
        rx.hstack(
            field("Date", _column_select("date", S.map_date, False)),
            field("Amount (signed)", _column_select("amount", S.map_amount, True)),
            field("or Credit", _column_select("credit", S.map_credit, True)),
            field("and Debit", _column_select("debit", S.map_debit, True)),
            field("Date format", _select(DATE_FORMAT_OPTIONS, S.map_date_format,
                                         lambda v: S.set_mapping("date_format", v),
                                         "date-format", "190px")),
            field("Decimal", _select([(".", "1,234.56"), (",", "1.234,56")], S.map_decimal,
                                     lambda v: S.set_mapping("decimal", v), "decimal", "110px")),
            field("Currency", rx.input(value=S.map_currency, width="70px", size="2",
                                       max_length=3,
                                       on_blur=lambda v: S.set_mapping("currency", v))),
            spacing="3", wrap="wrap", padding_top="8px",
        ),
        rx.hstack(rx.text("Description / reference:", **MUTED), rx.foreach(S.columns, _text_toggle),
                  spacing="3", wrap="wrap", padding_top="8px", align="center"),
        rx.cond(S.date_note != "", rx.text(S.date_note, **MUTED, padding_top="8px",
                                           id="date-note")),
        width="100%",
    )


def _line(row: LineRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.line_no, **MUTED),
        rx.table.cell(rx.text(row.booked_on, size="2"), white_space="nowrap"),
        rx.table.cell(rx.text(row.amount, weight="medium",
                              color=rx.cond(row.credit, "inherit", "var(--gray-10)")),
                      justify="end", white_space="nowrap"),
        rx.table.cell(rx.text(row.text, size="2"), max_width="320px"),
        rx.table.cell(rx.match(row.status, *[
            (k, rx.badge(k.replace("_", " ").capitalize(), color_scheme=c, variant="soft",
                         radius="full")) for k, c in LINE_COLORS.items()
        ], rx.badge(row.status))),
        rx.table.cell(
            rx.cond(
                row.suggestions.length() > 0,
                rx.select.root(
                    rx.select.trigger(placeholder="Pick the order…", min_width="150px"),
                    rx.select.content(
                        rx.select.item("Leave unpaid", value=NONE),
                        rx.foreach(row.suggestions, lambda n: rx.select.item("#" + n, value=n)),
                    ),
                    value=rx.cond(row.choice != "", row.choice, NONE),
                    on_change=lambda v: S.choose(row.line_no, v), size="1",
                ),
                rx.text(row.orders, weight="medium", size="2"),
            ),
            rx.text(row.reason, **MUTED),
            max_width="360px",
        ),
        class_name="statement-line", data_status=row.status, align="center",
    )


def _counts() -> rx.Component:
    def count(key: str, text: str, color: str) -> rx.Component:
        return rx.badge(text, " ", S.line_counts[key].to(int), color_scheme=color, size="2",
                        variant="soft", id=f"count-{key}")

    return rx.hstack(
        count("matched", "Matched", "green"), count("ambiguous", "Ambiguous", "amber"),
        count("unmatched", "Unmatched", "gray"),
        count("already_imported", "Imported before", "blue"), count("debit", "Debits", "gray"),
        spacing="2", wrap="wrap",
    )


def _statement() -> rx.Component:
    loaded = rx.vstack(
        rx.hstack(
            rx.icon("file-spreadsheet", size=18),
            rx.text(S.file_name, weight="bold", size="3"),
            rx.cond(S.imported_before, rx.badge("This file was imported before",
                                                color_scheme="blue")),
            rx.spacer(),
            rx.button("Another file", size="1", variant="soft", color_scheme="gray",
                      on_click=S.clear_statement),
            align="center", spacing="2", width="100%",
        ),
        rx.cond(S.columns.length() > 0, _mapping()),
        rx.cond(S.preview_error != "",
                rx.callout(S.preview_error, icon="triangle-alert", color_scheme="red",
                           id="preview-error")),
        rx.cond(
            S.lines.length() > 0,
            rx.vstack(
                rx.hstack(
                    _counts(), rx.spacer(),
                    rx.button(rx.icon("check-check", size=14), "Confirm: pay ",
                              S.confirm_count, " orders", size="2",
                              disabled=(S.confirm_count == 0) | (S.import_result != ""),
                              on_click=S.confirm_import,
                              id="confirm-import"),
                    width="100%", align="center",
                ),
                rx.text("Matched lines pay ", S.matched_total,
                        "; pick an order for an ambiguous line to pay it too. "
                        "Everything is applied together, once.", **MUTED),
                rx.table.root(
                    rx.table.header(rx.table.row(*[
                        rx.table.column_header_cell(h) for h in
                        ("Line", "Date", "Amount", "Description", "Result", "Order")
                    ])),
                    rx.table.body(rx.foreach(S.lines, _line)),
                    variant="surface", size="1", width="100%", id="statement-lines",
                ),
                rx.cond(S.hidden_lines > 0,
                        rx.text("and ", S.hidden_lines, " more lines (debits and lines "
                                "imported before come last)", **MUTED)),
                width="100%", spacing="2",
            ),
        ),
        rx.cond(S.import_result != "",
                rx.vstack(
                    rx.callout(S.import_result, icon="check", color_scheme="green",
                               id="import-result"),
                    rx.text("The file is no longer kept: to pay more of its lines, upload it "
                            "again (lines already paid are skipped).", **MUTED),
                    spacing="1", width="100%")),
        width="100%", spacing="3",
    )
    return rx.cond(S.file_name != "", loaded, _upload())


def payments_page() -> rx.Component:
    return page_frame(
        "Payments",
        _notice(),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(rx.text("Unpaid queue"), value="queue"),
                rx.tabs.trigger("Bank statement", value="statement", id="statement-tab"),
            ),
            rx.tabs.content(rx.box(_queue(), padding_top="12px"), value="queue"),
            rx.tabs.content(rx.box(_statement(), padding_top="12px"), value="statement"),
            default_value="queue",
        ),
    )
