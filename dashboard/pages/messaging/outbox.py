"""Outbox: every email queued, sent, failed or held, why, and what it says; retry and resend."""

import reflex as rx

from dashboard.components.filters import search_box
from dashboard.components.shell import page_frame
from dashboard.state.messaging import ALL, STATUS_LABELS, STATUSES, OutboxRow, OutboxState

ROUTE = "/outbox"
_COLORS = {"pending": "blue", "held": "amber", "sent": "green", "failed": "red"}


def _badge(status, text) -> rx.Component:
    return rx.badge(text, color_scheme=rx.match(status, *[(k, v) for k, v in _COLORS.items()], "gray"),
                    variant="soft", class_name="outbox-status")


def _filters() -> rx.Component:
    chips = [rx.button("All", size="1", variant=rx.cond(OutboxState.status == ALL, "solid", "soft"),
                       color_scheme="gray", on_click=OutboxState.set_status(ALL))]
    for s in STATUSES:
        chips.append(rx.button(
            STATUS_LABELS[s], " ", OutboxState.counts.get(s, 0), size="1",
            color_scheme=_COLORS[s], variant=rx.cond(OutboxState.status == s, "solid", "soft"),
            on_click=OutboxState.set_status(s), id=f"outbox-filter-{s}"))
    return rx.hstack(*chips, rx.spacer(),
                     rx.text(OutboxState.total, " emails", size="2", color_scheme="gray"),
                     align="center", spacing="2", padding_bottom="12px", wrap="wrap")


def _no_key_banner() -> rx.Component:
    return rx.cond(
        OutboxState.loaded & ~OutboxState.key_configured,
        rx.callout(
            "RESEND_API_KEY is not set, so emails are kept here (held) instead of being sent. "
            "Read them below; set the key and release them when you are ready.",
            icon="mail-warning", color_scheme="amber", size="1", margin_bottom="12px"),
        rx.cond(OutboxState.held_count > 0,
                rx.callout(rx.hstack(
                    rx.text(OutboxState.held_count, " emails were held while no key was set."),
                    rx.button("Send them now", size="1", on_click=OutboxState.release_held,
                              id="release-held"), align="center", spacing="3"),
                    icon="mail", color_scheme="blue", size="1", margin_bottom="12px")),
    )


def _row(row: OutboxRow) -> rx.Component:
    muted = {"size": "1", "color_scheme": "gray"}
    return rx.table.row(
        rx.table.cell(rx.text(row.created, size="2"), white_space="nowrap"),
        rx.table.cell(rx.text(row.topic, size="2", weight="medium"),
                      rx.cond(row.order_number != "",
                              rx.link("#", row.order_number, href="/orders/" + row.order_number,
                                      size="1"))),
        rx.table.cell(rx.text(row.subject, size="2"), rx.text(row.recipient, **muted), max_width="360px"),
        rx.table.cell(_badge(row.status, row.status_label),
                      rx.text(row.when, **muted), white_space="nowrap"),
        rx.table.cell(row.attempts, justify="end"),
        rx.table.cell(rx.text(row.why, size="1", color_scheme=rx.cond(row.status == "failed", "red", "gray")),
                      max_width="320px"),
        rx.table.cell(rx.hstack(
            rx.button("Read", size="1", variant="soft", on_click=OutboxState.open_message(row.id)),
            rx.cond((row.status == "failed") | (row.status == "held"),
                    rx.button("Retry", size="1", on_click=OutboxState.retry(row.id))),
            rx.cond(row.status == "sent",
                    rx.button("Resend", size="1", variant="outline",
                              on_click=OutboxState.send_again(row.id))),
            spacing="2"), justify="end"),
        class_name="outbox-row", align="center",
    )


def _table() -> rx.Component:
    heads = ["Queued", "Email", "Subject / to", "Status", "Tries", "Why", ""]
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in heads])),
        rx.table.body(rx.foreach(OutboxState.rows, _row)),
        variant="surface", size="1", width="100%", id="outbox-table",
    )


def _reader() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(OutboxState.open_subject),
            rx.text(OutboxState.open_meta, size="1", color_scheme="gray"),
            rx.hstack(rx.badge(OutboxState.open_status),
                      rx.text(OutboxState.open_why, size="1", color_scheme="gray"),
                      rx.foreach(OutboxState.open_attachments,
                                 lambda a: rx.badge(rx.icon("paperclip", size=12), a, variant="outline")),
                      spacing="2", align="center", padding_y="8px", wrap="wrap"),
            rx.tabs.root(
                rx.tabs.list(rx.tabs.trigger("As sent", value="html"),
                             rx.tabs.trigger("Plain text", value="text")),
                rx.tabs.content(
                    # sandboxed: an email's HTML runs no script and reaches nothing of the app
                    rx.el.iframe(src_doc=OutboxState.open_html, sandbox="", width="100%",
                                 height="480px", style={"border": "1px solid var(--gray-a5)",
                                                        "background": "white"}),
                    value="html", padding_top="8px"),
                rx.tabs.content(
                    rx.code_block(OutboxState.open_text, language="markdown", wrap_long_lines=True),
                    value="text", padding_top="8px"),
                default_value="html",
            ),
            rx.hstack(rx.spacer(), rx.dialog.close(rx.button("Close", variant="soft",
                                                             on_click=OutboxState.close_message)),
                      padding_top="12px"),
            max_width="760px",
        ),
        open=OutboxState.reading != 0,
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.text("Page ", OutboxState.page, " of ", OutboxState.page_count, size="2",
                color_scheme="gray"),
        rx.button("Previous", size="1", variant="soft", color_scheme="gray",
                  disabled=OutboxState.page <= 1,
                  on_click=OutboxState.go_to_page(OutboxState.page - 1)),
        rx.button("Next", size="1", variant="soft", color_scheme="gray",
                  disabled=OutboxState.page >= OutboxState.page_count,
                  on_click=OutboxState.go_to_page(OutboxState.page + 1)),
        justify="end", align="center", spacing="3", padding_top="12px",
    )


def outbox_page() -> rx.Component:
    return page_frame(
        "Outbox",
        _no_key_banner(),
        _filters(),
        rx.cond(OutboxState.rows.length() > 0, _table(),
                rx.cond(OutboxState.loaded,
                        rx.center(rx.text("No emails here.", size="2", color_scheme="gray"),
                                  padding="48px", border="1px dashed var(--gray-a6)",
                                  border_radius="var(--radius-3)"))),
        _pager(),
        _reader(),
        actions=rx.hstack(
            search_box(OutboxState.q, OutboxState.set_q, "Order no., subject, reason",
                       width="260px"),
            rx.button(rx.icon("send", size=14), "Send due now", size="2", variant="soft",
                      on_click=OutboxState.send_now, loading=OutboxState.sending),
            spacing="2"),
    )
