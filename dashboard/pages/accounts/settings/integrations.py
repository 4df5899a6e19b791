"""Settings → Integrations: webhook endpoints, each with its secret (shown once), events,
a test event, and its delivery log with replay."""

import reflex as rx

from dashboard.pages.accounts.settings.parts import (
    error_callout,
    field,
    header,
    secret_callout,
    status_badge,
)
from dashboard.state.integrations import (
    EVENTS,
    REPLAY_WINDOWS,
    EndpointRow,
    IntegrationsState,
    LogRow,
)


def _add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            field("Endpoint URL", rx.input(name="url", placeholder="https://accounts.example.com/hooks",
                                           required=True, id="webhook-url", max_length=2000,
                                           width="100%")),
            field("Description", rx.input(name="description", placeholder="Accounting system",
                                          id="webhook-description", max_length=200,
                                          width="100%")),
            field("Events", rx.flex(
                *[rx.checkbox(event, name=event, default_checked=event.startswith("order."),
                              size="2", class_name="webhook-event") for event in EVENTS],
                wrap="wrap", spacing="3",
            )),
            error_callout(IntegrationsState.create_error),
            rx.button("Add endpoint", type="submit", id="webhook-add"),
            spacing="3",
            align="start",
            width="100%",
        ),
        on_submit=IntegrationsState.add,
        reset_on_submit=True,
        width="100%",
    )


def _endpoint(row: EndpointRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.url, weight="medium", size="2", word_break="break-all"),
                      rx.text(row.description, size="1", color_scheme="gray")),
        rx.table.cell(rx.flex(rx.foreach(row.events, lambda e: rx.badge(e, variant="outline")),
                              wrap="wrap", spacing="1")),
        rx.table.cell(status_badge(rx.cond(row.enabled, "Active", "Disabled")),
                      rx.text(row.reason, size="1", color_scheme="gray")),
        rx.table.cell(rx.flex(
            rx.button("Send test event", size="1", variant="soft",
                      on_click=IntegrationsState.send_test(row.ref), class_name="webhook-test"),
            rx.button("Log", size="1", variant="soft", on_click=IntegrationsState.show_log(row.ref),
                      class_name="webhook-log"),
            rx.button("Rotate secret", size="1", variant="soft",
                      on_click=IntegrationsState.rotate(row.ref), class_name="webhook-rotate"),
            rx.button(rx.cond(row.enabled, "Disable", "Enable"), size="1", variant="soft",
                      color_scheme=rx.cond(row.enabled, "amber", "green"),
                      on_click=IntegrationsState.toggle(row.ref), class_name="webhook-toggle"),
            rx.button("Remove", size="1", variant="soft", color_scheme="red",
                      on_click=IntegrationsState.delete(row.ref), class_name="webhook-delete"),
            wrap="wrap", spacing="1",
        )),
        align="center",
        class_name="webhook-row",
    )


def _log_row(row: LogRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.at, size="2")),
        rx.table.cell(rx.text(row.event_type, size="2"), rx.code(row.event_id, size="1")),
        rx.table.cell(rx.badge(row.answer, color_scheme=rx.cond(row.ok, "green", "red"),
                               variant="soft"), class_name="log-answer"),
        rx.table.cell(rx.text(row.delivery, size="2"), class_name="log-delivery"),
        rx.table.cell(rx.text(row.detail, size="1", color_scheme="gray", word_break="break-all")),
        rx.table.cell(rx.cond(
            row.delivery != "pending",
            rx.button("Replay", size="1", variant="soft", on_click=IntegrationsState.replay(row.ref),
                      class_name="log-replay"),
        )),
        align="center",
        class_name="log-row",
    )


def _log() -> rx.Component:
    return rx.cond(
        IntegrationsState.log_for != "",
        rx.vstack(
            rx.hstack(
                rx.heading("Delivery log: " + IntegrationsState.log_for, size="3"),
                rx.spacer(),
                rx.button("Refresh", size="1", variant="soft", on_click=IntegrationsState.refresh,
                          id="log-refresh"),
                rx.select(list(REPLAY_WINDOWS), value=IntegrationsState.replay_window,
                          on_change=IntegrationsState.set_replay_window, size="1"),
                rx.button("Replay failed", size="1", on_click=IntegrationsState.replay_failed,
                          id="log-replay-failed"),
                width="100%", align="center",
            ),
            rx.table.root(
                header("Time", "Event", "Answer", "Delivery", "Detail", ""),
                rx.table.body(rx.foreach(IntegrationsState.log, _log_row)),
                variant="surface", size="1", width="100%", id="webhook-log-table",
            ),
            spacing="2",
            width="100%",
        ),
    )


def integrations_tab() -> rx.Component:
    return rx.vstack(
        rx.text("Webhooks push orders and stock to your accounting, inventory or POS system, "
                "signed per Standard Webhooks (webhook-id, webhook-timestamp, "
                "webhook-signature), retried for up to 3 days. "
                "Also: fulfil webhooks replay --since 2h.", size="2", color_scheme="gray"),
        secret_callout("Signing secret for " + IntegrationsState.shown_key_for,
                       IntegrationsState.shown_key,
                       "Copy it now into the receiving system: it is not shown again.",
                       IntegrationsState.close_secret, "new-webhook-secret"),
        rx.card(_add_form(), width="100%"),
        rx.table.root(
            header("Endpoint", "Events", "State", ""),
            rx.table.body(rx.foreach(IntegrationsState.endpoints, _endpoint)),
            variant="surface", size="1", width="100%", id="webhooks-table",
        ),
        _log(),
        spacing="3",
        width="100%",
    )
