"""The order page's return dialog for one line (units, reason, restock or write off or
decide later, resolution) with the preview of value, refundable amount and stock effect
before saving; and the surcharge dialog. The server decides and checks everything."""

from __future__ import annotations

import reflex as rx

from dashboard.state.returns import REASONS, RESOLUTIONS, SURCHARGE_KINDS
from dashboard.state.returns import ReturnState as R

RESTOCK = [("restock", "Restock"), ("write_off", "Write off"),
           ("later", "Authorise: goods to come (RMA)")]


def _field(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), control, spacing="1",
                     width="100%")


def _select(options: list[str], value, field: str, id_: str) -> rx.Component:
    return rx.select(options, value=value, on_change=lambda v: R.set_return_field(field, v),
                     id=id_, width="100%")


def return_button(line) -> rx.Component:
    return rx.cond(
        line.shipped > line.returned,
        rx.button("Return / exchange", size="1", variant="soft",
                  on_click=R.open_return(line.id), id="return-" + line.sku),
    )


def return_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Return ", R.return_name),
            rx.vstack(
                rx.text(R.return_sku, " · up to ", R.return_max, " returnable", size="1",
                        color_scheme="gray"),
                _field("Units", rx.input(type="number", min="1", max=R.return_max.to_string(),
                                         value=R.return_qty, id="return-qty",
                                         on_change=lambda v: R.set_return_field("qty", v))),
                _field("Reason", _select(REASONS, R.return_reason, "reason", "return-reason")),
                rx.cond(R.return_reason == "other", rx.input(
                    value=R.return_reason_text, placeholder="What happened", id="return-reason-text",
                    on_change=lambda v: R.set_return_field("reason_text", v))),
                _field("Stock", rx.radio_group.root(
                    *[rx.radio_group.item(text, value=value, id="return-stock-" + value)
                      for value, text in RESTOCK],
                    value=R.return_restock, direction="column",
                    on_change=lambda v: R.set_return_field("restock", v))),
                _field("Resolution", _select(RESOLUTIONS, R.return_resolution, "resolution",
                                             "return-resolution")),
                rx.card(rx.vstack(
                    rx.text("Value: ", R.preview_value, size="2", id="return-preview-value"),
                    rx.text("Refundable / credited: ", R.preview_refundable, size="2",
                            id="return-preview-refundable"),
                    rx.text("Stock: ", R.preview_stock, size="2", id="return-preview-stock"),
                    spacing="1"), width="100%"),
                rx.cond(R.return_error != "", rx.text(R.return_error, color_scheme="red",
                                                      size="2", id="return-error")),
                rx.hstack(
                    rx.button("Cancel", variant="soft", color_scheme="gray",
                              on_click=R.close_return),
                    rx.button("Save return", on_click=R.save_return, id="return-save",
                              disabled=R.return_error != ""),
                    justify="end", width="100%"),
                spacing="3", width="100%",
            ),
            max_width="460px", id="return-dialog",
        ),
        open=R.return_line != 0,
        on_open_change=R.return_open_change,
    )


def surcharge_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Add surcharge", size="1", variant="soft",
                                    id="surcharge-open")),
        rx.dialog.content(
            rx.dialog.title("Add a surcharge"),
            rx.form(rx.vstack(
                _field("Amount", rx.input(name="amount", placeholder="12.50",
                                          id="surcharge-amount")),
                _field("Kind", rx.select(SURCHARGE_KINDS, name="kind",
                                         default_value="shipping_change", id="surcharge-kind")),
                _field("Reason", rx.input(name="reason", id="surcharge-reason", max_length=500)),
                rx.cond(R.surcharge_error != "", rx.text(R.surcharge_error, color_scheme="red",
                                                         size="2")),
                rx.hstack(rx.dialog.close(rx.button("Cancel", type="button", variant="soft",
                                                    color_scheme="gray")),
                          rx.button("Add", type="submit", id="surcharge-save"),
                          justify="end", width="100%"),
                spacing="3"), on_submit=R.add_surcharge, reset_on_submit=False),
            max_width="420px", id="surcharge-dialog",
        ),
        open=R.surcharge_open, on_open_change=R.surcharge_open_change,
    )
