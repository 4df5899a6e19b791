"""Settings → API keys."""

import reflex as rx

from dashboard.pages.accounts.settings.parts import (
    error_callout,
    field,
    header,
    secret_callout,
    status_badge,
)
from dashboard.state.accounts import SCOPES, ApiKeyRow, ApiKeysState


def _create_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            field("Name", rx.input(name="name", placeholder="Shopfront checkout", required=True,
                                   id="api-key-name", max_length=100)),
            field("Scopes", rx.flex(
                *[rx.checkbox(f"{scope} — {help_}", name=scope, default_checked=scope.startswith("orders"),
                              size="2") for scope, help_ in SCOPES],
                direction="column",
                spacing="1",
            )),
            error_callout(ApiKeysState.create_error),
            rx.button("Create key", type="submit", id="api-key-create"),
            spacing="3",
            align="start",
        ),
        on_submit=ApiKeysState.create,
        reset_on_submit=True,
    )


def _row(row: ApiKeyRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.name, weight="medium", size="2"),
                      rx.code(row.prefix, size="1")),
        rx.table.cell(rx.flex(rx.foreach(row.scopes, lambda s: rx.badge(s, variant="outline")),
                              wrap="wrap", spacing="1")),
        rx.table.cell(rx.text(row.created, size="2")),
        rx.table.cell(rx.text(row.last_used, size="2"), class_name="key-last-used"),
        rx.table.cell(rx.cond(
            row.revoked,
            status_badge("Revoked"),
            rx.button("Revoke", size="1", color_scheme="red", variant="soft",
                      on_click=ApiKeysState.revoke(row.ref), class_name="key-revoke"),
        )),
        align="center",
        class_name="api-key-row",
    )


def api_keys_tab() -> rx.Component:
    return rx.vstack(
        rx.text("Keys for the storefront and other systems (Authorization: Bearer <key>). "
                "Also: fulfil create-api-key / revoke-api-key.", size="2", color_scheme="gray"),
        secret_callout("New API key " + ApiKeysState.new_key_name, ApiKeysState.new_key,
                       "Copy it now: only a hash is kept, so it cannot be shown again.",
                       ApiKeysState.close_dialogs, "new-api-key"),
        rx.card(_create_form(), width="100%"),
        rx.table.root(
            header("Key", "Scopes", "Created", "Last used", ""),
            rx.table.body(rx.foreach(ApiKeysState.keys, _row)),
            variant="surface",
            size="1",
            width="100%",
            id="api-keys-table",
        ),
        spacing="3",
        width="100%",
    )
