"""The ship dialog's fields, one component for the order page and the board: units per
line (each starting at what is unshipped; 0 leaves a line), carrier and tracking or
explicitly none, and "email the customer". Also the fields correcting a shipment's
tracking. The form posts `qty_<line id>`, `carrier`, `tracking_number`, `no_tracking`,
`email_customer` (domain.shipping.shipping_facts reads them); the server decides."""

from __future__ import annotations

import reflex as rx

from dashboard.domain.shipping import MAX_TRACKING, QUANTITY_FIELD
from dashboard.state.shipping import CARRIER_OPTIONS, ShipLineView


def field_error(errors: rx.Var, name: str, prefix: str) -> rx.Component:
    return rx.cond(errors.contains(name),
                   rx.text(errors[name], size="1", color_scheme="red",
                           id=f"{prefix}-error-{name}"))


def _labelled(label: str, control: rx.Component, errors: rx.Var, name: str,
              prefix: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), control,
                     field_error(errors, name, prefix), spacing="1", width="100%")


def _quantity_row(line: ShipLineView, errors: rx.Var, prefix: str) -> rx.Component:
    name = QUANTITY_FIELD + line.id.to_string()
    return rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.text(line.name, size="2", weight="medium"),
                rx.text(line.sku, " · ", line.shipped, " of ", line.ordered, " shipped",
                        size="1", color_scheme="gray"),
                spacing="0", flex="1", min_width="0",
            ),
            rx.input(name=name, type="number", min="0", max=line.unshipped.to_string(),
                     default_value=line.unshipped.to_string(), width="76px",
                     key=line.id.to_string() + "-" + line.unshipped.to_string(),
                     id=prefix + "-qty-" + line.sku, aria_label="Units to ship of " + line.sku),
            rx.text("/ ", line.unshipped, size="2", color_scheme="gray", min_width="36px"),
            align="center", width="100%", spacing="2",
        ),
        rx.cond(errors.contains(name), rx.text(errors[name], size="1", color_scheme="red")),
        spacing="1", width="100%", class_name="ship-line", data_sku=line.sku,
    )


def quantity_fields(lines: rx.Var, errors: rx.Var, prefix: str) -> rx.Component:
    """One row per line with units left: how many ship in this parcel."""
    return rx.vstack(
        rx.text("Units in this parcel", size="2", weight="medium"),
        rx.foreach(lines, lambda line: _quantity_row(line, errors, prefix)),
        field_error(errors, "lines", prefix),
        spacing="2", width="100%", id=f"{prefix}-lines",
    )


def tracking_fields(errors: rx.Var, prefix: str, *, carrier=None, tracking=None,
                    email_label: str = "Email the customer that it has shipped",
                    email_default: bool = True, no_tracking: bool = True) -> rx.Component:
    """Carrier and tracking number, an explicit "no tracking" and the email choice. With
    `carrier`, the carrier is free text starting from it (a correction keeps whatever the
    shipment has); otherwise a choice of the usual carriers."""
    if carrier is None:
        carrier_control = rx.select(CARRIER_OPTIONS, name="carrier", placeholder="Choose a carrier",
                                    id=f"{prefix}-carrier", width="100%")
    else:
        carrier_control = rx.fragment(
            rx.input(name="carrier", default_value=carrier, id=f"{prefix}-carrier",
                     list=f"{prefix}-carriers", max_length=64, width="100%", key=carrier),
            rx.el.datalist(*[rx.el.option(value=c) for c in CARRIER_OPTIONS],
                           id=f"{prefix}-carriers"),
        )
    return rx.vstack(
        _labelled("Carrier", carrier_control, errors, "carrier", prefix),
        _labelled("Tracking number", rx.input(
            name="tracking_number", id=f"{prefix}-tracking", max_length=MAX_TRACKING,
            width="100%", default_value=tracking if tracking is not None else "",
            key=tracking if tracking is not None else prefix), errors, "tracking_number", prefix),
        *([rx.checkbox("No tracking number", name="no_tracking", id=f"{prefix}-no-tracking")]
          if no_tracking else []),
        rx.checkbox(email_label, name="email_customer", default_checked=email_default,
                    id=f"{prefix}-email"),
        spacing="3", width="100%",
    )


def ship_fields(lines: rx.Var, errors: rx.Var, prefix: str) -> rx.Component:
    """Everything a shipment needs: the units per line, then carrier, tracking, email."""
    return rx.vstack(quantity_fields(lines, errors, prefix), rx.divider(),
                     tracking_fields(errors, prefix), spacing="3", width="100%")
