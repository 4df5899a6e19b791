"""The order page: lines, payments, shipments, addresses, notes and the timeline."""

from __future__ import annotations

import reflex as rx

from dashboard.components.badges import order_status_badge, payment_status_badge
from dashboard.components.desk import (
    ADDRESS_STATUS_COLORS,
    card,
    field_input,
    muted,
    section_title,
)
from dashboard.components.return_form import return_button, return_dialog, surcharge_dialog
from dashboard.components.shell import page_frame
from dashboard.components.ship_dialog import ship_fields, tracking_fields
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.state.orders import (
    ADDRESS_FIELDS,
    EventView,
    LineView,
    NoteView,
    OrderViewState,
    PaymentView,
    Problem,
    ShipmentView,
)
from dashboard.state.view import label

S = OrderViewState


# --- lines ---------------------------------------------------------------------------


def _quantity_cell(line: LineView) -> rx.Component:
    return rx.cond(
        S.editable,
        rx.form(
            rx.hstack(
                rx.input(type="hidden", name="line_id", value=line.id.to_string()),
                rx.input(name="quantity", default_value=line.quantity.to_string(), type="number",
                         min="1", width="72px", size="1", id="qty-" + line.sku,
                         key=line.id.to_string() + "-" + line.quantity.to_string()),
                rx.icon_button(rx.icon("check", size=13), size="1", variant="soft",
                               type="submit", id="qty-save-" + line.sku,
                               aria_label="Save quantity"),
                spacing="1", align="center",
            ),
            on_submit=S.set_quantity,
        ),
        rx.text(line.quantity),
    )


def _price_popover(line: LineView) -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(rx.icon_button(rx.icon("tag", size=13), size="1", variant="ghost",
                                          aria_label="Override price",
                                          id="price-" + line.sku)),
        rx.popover.content(
            rx.form(
                rx.vstack(
                    rx.text("Override the unit price of ", line.sku, size="2", weight="medium"),
                    rx.input(type="hidden", name="line_id", value=line.id.to_string()),
                    rx.input(name="unit_price", placeholder="New unit price, e.g. 10.00",
                             id="price-input-" + line.sku),
                    rx.text_area(name="reason", placeholder="Reason (shown in the timeline)",
                                 id="price-reason-" + line.sku),
                    rx.popover.close(rx.button("Change price", type="submit", size="2")),
                    spacing="2",
                ),
                on_submit=S.override_price,
                reset_on_submit=True,
            ),
            width="300px",
        ),
    )


SHIPPING_COLORS = {"unshipped": "gray", "part": "blue", "shipped": "green", "returned": "orange"}


def _shipping_badge(line: LineView) -> rx.Component:
    return rx.badge(
        rx.match(line.shipping, ("part", "part shipped"), ("shipped", "shipped"),
                 ("returned", "returned"), "unshipped"),
        color_scheme=rx.match(line.shipping, *SHIPPING_COLORS.items(), "gray"),
        variant="soft", size="1", id="ship-status-" + line.sku, data_status=line.shipping,
    )


def _line_row(line: LineView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(line.sku, font_family="var(--code-font-family)", size="2")),
        rx.table.cell(rx.text(line.name, size="2")),
        rx.table.cell(rx.hstack(rx.text(line.unit_price, size="2"),
                                rx.cond(S.editable, _price_popover(line)), align="center"),
                      justify="end"),
        rx.table.cell(_quantity_cell(line), justify="end"),
        rx.table.cell(rx.hstack(rx.text(line.shipped, size="2"), _shipping_badge(line),
                                align="center", justify="end", spacing="2"), justify="end"),
        rx.table.cell(line.returned, justify="end"),
        rx.table.cell(rx.text(line.total, weight="medium"), justify="end"),
        rx.table.cell(rx.hstack(rx.cond(
            S.editable,
            rx.icon_button(rx.icon("trash-2", size=13), size="1", variant="ghost",
                           color_scheme="red", on_click=S.remove_line(line.id),
                           aria_label="Remove line", id="remove-" + line.sku),
        ), return_button(line), spacing="2")),
        class_name="line-row", data_sku=line.sku,
    )


def _add_line() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.box(
                rx.input(name="sku", value=S.add_sku, on_change=S.search_products.debounce(250),
                         placeholder="Add a product: SKU, name or barcode", width="320px",
                         id="add-sku"),
                rx.cond(
                    S.product_results.length() > 0,
                    rx.vstack(
                        rx.foreach(S.product_results, lambda p: rx.hstack(
                            rx.text(p["sku"], size="1", font_family="var(--code-font-family)"),
                            rx.text(p["name"], size="1"), rx.spacer(),
                            rx.text(p["price"], size="1"),
                            rx.badge(p["available"], " available", size="1", variant="soft"),
                            on_click=S.pick_product(p["sku"]), cursor="pointer",
                            padding="4px 8px", width="100%",
                            _hover={"background": "var(--gray-3)"}, class_name="product-option",
                        )),
                        position="absolute", z_index="10", background="var(--color-panel-solid)",
                        border="1px solid var(--gray-a6)", border_radius="var(--radius-2)",
                        width="420px", spacing="0", box_shadow="var(--shadow-3)",
                    ),
                ),
                position="relative",
            ),
            rx.input(name="quantity", default_value="1", type="number", min="1", width="72px",
                     id="add-qty"),
            rx.button(rx.icon("plus", size=14), "Add", type="submit", id="add-line"),
            spacing="2", align="center",
        ),
        on_submit=S.add_line,
    )


def _lines_card() -> rx.Component:
    return card(
        rx.hstack(section_title("Items"), rx.spacer(),
                  rx.cond(~S.editable, rx.callout(S.edit_refusal, icon="lock", size="1",
                                                  color_scheme="gray", id="edit-refusal")),
                  align="center"),
        rx.table.root(
            rx.table.header(rx.table.row(
                *[rx.table.column_header_cell(t, justify=j) for t, j in (
                    ("SKU", "start"), ("Product", "start"), ("Unit price", "end"),
                    ("Qty", "end"), ("Shipped", "end"), ("Returned", "end"), ("Total", "end"),
                    ("", "end"))]
            )),
            rx.table.body(rx.foreach(S.lines, _line_row)),
            size="1", width="100%", variant="ghost",
        ),
        rx.cond(S.editable, _add_line()),
        rx.vstack(
            rx.hstack(muted("Subtotal"), rx.text(S.subtotal, size="2"), justify="between",
                      width="240px"),
            rx.hstack(muted("Shipping"), rx.text(S.shipping, size="2"), justify="between",
                      width="240px"),
            rx.hstack(rx.text("Total", weight="bold"), rx.text(S.total, weight="bold",
                                                                 id="order-total"),
                      justify="between", width="240px"),
            align="end", width="100%", spacing="1",
        ),
    )


# --- payments and shipments -------------------------------------------------------------


def _payment_row(p: PaymentView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(p.when), rx.table.cell(p.method), rx.table.cell(p.status),
        rx.table.cell(p.amount, justify="end"), rx.table.cell(p.reference),
        rx.table.cell(p.card), rx.table.cell(p.by),
    )


def _shipment_row(s: ShipmentView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(s.when), rx.table.cell(s.carrier),
        rx.table.cell(rx.text(s.tracking, font_family="var(--code-font-family)")),
        rx.table.cell(s.contents), rx.table.cell(s.by),
        rx.table.cell(rx.button(rx.icon("pencil", size=12), "Edit tracking", size="1",
                                variant="ghost", on_click=S.edit_tracking(s.id),
                                class_name="edit-tracking")),
        class_name="shipment-row",
    )


def _dialog_buttons(submit: str, submit_id: str, close) -> rx.Component:
    return rx.hstack(
        rx.button("Close", variant="soft", color_scheme="gray", type="button", on_click=close),
        rx.button(submit, type="submit", id=submit_id),
        justify="end", width="100%", spacing="3",
    )


def _ship_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Ship order #", S.number),
            rx.form(rx.vstack(ship_fields(S.ship_rows, S.ship_errors, "ship"),
                              _dialog_buttons("Ship", "ship-confirm",
                                              S.ship_open_change(False)), spacing="4"),
                    on_submit=S.ship, reset_on_submit=False),
            max_width="480px", id="ship-dialog",
        ),
        open=S.ship_open, on_open_change=S.ship_open_change,
    )


def _tracking_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Correct the tracking"),
            rx.form(rx.vstack(
                tracking_fields(S.tracking_errors, "tracking", carrier=S.tracking_carrier,
                                tracking=S.tracking_number, no_tracking=False,
                                email_label="Email the customer the new tracking",
                                email_default=False),
                _dialog_buttons("Save", "tracking-save", S.tracking_open_change(False)),
                spacing="4"), on_submit=S.save_tracking, reset_on_submit=False),
            max_width="440px", id="tracking-dialog",
        ),
        open=S.editing_shipment != 0, on_open_change=S.tracking_open_change,
    )


def _simple_table(headers: list[str], rows, render, empty: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, render)), size="1", width="100%", variant="ghost",
        ),
        muted(empty),
    )


def _payments_card() -> rx.Component:
    return card(
        section_title("Payments"),
        rx.cond(S.payment_flag != "", rx.callout(S.payment_flag, icon="triangle-alert",
                                                 color_scheme="orange", size="1")),
        _simple_table(["When", "Method", "Status", "Amount", "Reference", "Card", "By"],
                      S.payments, _payment_row, "No payment yet."),
    )


def _shipments_card() -> rx.Component:
    return card(
        section_title("Shipments"),
        _simple_table(["When", "Carrier", "Tracking", "Items", "By", ""], S.shipments,
                      _shipment_row, "Nothing shipped yet."),
        _tracking_dialog(),
        id="shipments",
    )


# --- customer and address -------------------------------------------------------------------


def _customer_card() -> rx.Component:
    return card(
        rx.hstack(section_title("Customer"), rx.spacer(),
                  rx.link("History", href=S.customer_href, size="2")),
        rx.text(S.customer_name, weight="medium", id="customer-name"),
        muted(S.customer_email),
        muted(S.customer_phone),
        rx.popover.root(
            rx.popover.trigger(rx.button("Change customer", size="1", variant="soft",
                                         color_scheme="gray", id="change-customer")),
            rx.popover.content(
                rx.vstack(
                    rx.input(placeholder="Find by name, email or phone", value=S.customer_query,
                             on_change=S.search_customers.debounce(250), id="customer-search"),
                    rx.foreach(S.customer_results, lambda c: rx.popover.close(rx.button(
                        c.name, " · ", c.email, variant="ghost", size="1",
                        on_click=S.change_customer(c.id), class_name="customer-choice"))),
                    spacing="2",
                ),
                width="340px",
            ),
        ),
    )


def _problem(p: Problem) -> rx.Component:
    return rx.text(rx.text.strong(p.field, ": "), p.text, size="2", class_name="address-problem")


def _address_form() -> rx.Component:
    return rx.form(
        rx.grid(
            *[field_input(label_, name, S.address[name], "addr-" + name)
              for name, label_ in ADDRESS_FIELDS],
            columns="2", spacing="2",
        ),
        rx.hstack(
            rx.button("Save and check", type="submit", size="2", id="save-address"),
            rx.button("Cancel", variant="soft", color_scheme="gray", size="2", type="button",
                      on_click=S.edit_address(False)),
            spacing="2", padding_top="8px",
        ),
        on_submit=S.save_address,
    )


def _address_card() -> rx.Component:
    a = S.address
    return card(
        rx.hstack(
            section_title("Shipping address"), rx.spacer(),
            rx.match(S.address_status, *[
                (k, rx.badge(label(k), color_scheme=c, id="address-status"))
                for k, c in ADDRESS_STATUS_COLORS.items()
            ], rx.badge(S.address_status)),
            align="center",
        ),
        rx.cond(
            S.editing_address,
            _address_form(),
            rx.vstack(
                rx.text(a["name"], size="2", weight="medium"),
                rx.cond(a["company"] != "", rx.text(a["company"], size="2")),
                rx.text(a["street_address_1"], size="2"),
                rx.cond(a["street_address_2"] != "", rx.text(a["street_address_2"], size="2")),
                rx.text(a["city"], " ", a["country_area"], " ", a["postal_code"], size="2"),
                rx.text(a["country"], size="2"),
                rx.cond(a["phone"] != "", muted(a["phone"])),
                spacing="0",
            ),
        ),
        rx.foreach(S.address_problems, _problem),
        rx.cond(S.suggestion != "", rx.callout.root(
            rx.callout.icon(rx.icon("wand-sparkles", size=14)),
            rx.callout.text("The post writes it as: ", S.suggestion),
            rx.button("Use this", size="1", on_click=S.accept_suggestion, id="use-suggestion"),
            size="1", color_scheme="blue")),
        rx.cond(S.override_reason != "", muted("Accepted as it is: ", S.override_reason)),
        rx.cond(S.label_block != "", rx.callout(S.label_block, icon="ban", size="1",
                                                color_scheme="red", id="label-block")),
        rx.cond(
            S.address_editable & ~S.editing_address,
            rx.hstack(
                rx.button("Check", size="1", variant="soft", on_click=S.verify_address,
                          id="verify-address"),
                rx.button("Edit", size="1", variant="soft", on_click=S.edit_address(True),
                          id="edit-address"),
                rx.cond(S.address_status == "invalid", rx.popover.root(
                    rx.popover.trigger(rx.button("Accept as it is", size="1", variant="soft",
                                                 color_scheme="orange")),
                    rx.popover.content(rx.form(rx.vstack(
                        rx.text_area(name="reason", placeholder="Why is it right? (required)"),
                        rx.popover.close(rx.button("Accept address", type="submit", size="1")),
                    ), on_submit=S.override_address)),
                )),
                spacing="2",
            ),
        ),
        rx.cond(S.billing != "", rx.vstack(section_title("Billing address"), muted(S.billing),
                                           spacing="1", padding_top="8px")),
    )


# --- notes and timeline --------------------------------------------------------------------


def _note(n: NoteView) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.cond(n.pinned, rx.icon("pin", size=13, color="var(--amber-10)")),
            rx.text(n.author, size="1", weight="medium"), muted(n.when),
            rx.cond(n.edited != "", muted("(edited)")),
            rx.spacer(),
            rx.icon_button(rx.icon(rx.cond(n.pinned, "pin-off", "pin"), size=12), size="1",
                           variant="ghost", on_click=S.toggle_pin(n.id, n.pinned),
                           aria_label="Pin", class_name="pin-note"),
            rx.cond(n.mine, rx.icon_button(rx.icon("pencil", size=12), size="1", variant="ghost",
                                           on_click=S.start_note_edit(n.id),
                                           aria_label="Edit", class_name="edit-note")),
            align="center", spacing="2",
        ),
        rx.cond(
            S.editing_note == n.id,
            rx.form(rx.vstack(
                rx.text_area(name="body", default_value=n.body, id="edit-note-body"),
                rx.hstack(rx.button("Save", size="1", type="submit", id="save-note"),
                          rx.button("Cancel", size="1", variant="soft", type="button",
                                    on_click=S.cancel_note_edit)),
            ), on_submit=S.save_note),
            rx.text(n.body, size="2", white_space="pre-wrap", class_name="note-body"),
        ),
        padding="8px", border_radius="var(--radius-2)",
        background=rx.cond(n.pinned, "var(--amber-2)", "var(--gray-2)"),
        class_name="note", width="100%",
    )


def _notes_card() -> rx.Component:
    return card(
        section_title("Notes"),
        rx.cond(S.customer_note != "", rx.callout(S.customer_note, icon="message-square",
                                                  size="1", title="From the customer")),
        rx.form(
            rx.vstack(
                rx.text_area(name="body", placeholder="Add a note for the team", id="note-body",
                             width="100%"),
                rx.button("Add note", type="submit", size="1", id="add-note"),
                align="end", width="100%",
            ),
            on_submit=S.add_note, width="100%",
        ),
        rx.vstack(rx.foreach(S.notes, _note), spacing="2", width="100%", id="notes"),
    )


def _event(e: EventView) -> rx.Component:
    return rx.hstack(
        rx.box(width="8px", height="8px", border_radius="50%", background="var(--accent-9)",
               margin_top="6px", flex_shrink="0"),
        rx.vstack(
            rx.text(e.title, size="2", weight="medium"),
            rx.cond(e.detail != "", rx.text(e.detail, size="1")),
            muted(e.when, " · ", e.actor),
            spacing="0",
        ),
        align="start", spacing="2", class_name="timeline-item", data_kind=e.kind,
    )


def _timeline_card() -> rx.Component:
    return card(
        section_title("Timeline (" + S.tz_name + ")"),
        rx.vstack(rx.foreach(S.events, _event), spacing="3", id="timeline"),
    )


# --- header actions --------------------------------------------------------------------------


def _dialog_form(trigger: rx.Component, title: str, body: rx.Component, on_submit,
                 submit: str) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(trigger),
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(rx.vstack(body, rx.hstack(
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray",
                                          type="button")),
                rx.dialog.close(rx.button(submit, type="submit")),
                justify="end", width="100%")), on_submit=on_submit),
        ),
    )


def _methods_dialog() -> rx.Component:
    return _dialog_form(
        rx.button("Payment & delivery", size="2", variant="soft", color_scheme="gray",
                  id="change-methods"),
        "Payment and delivery",
        rx.vstack(
            # Start from the order's own methods (the key redraws them when those change).
            rx.text("Payment method", size="2"),
            rx.el.select(*[rx.el.option(label(m.value), value=m.value) for m in PaymentMethod],
                         name="payment_method", default_value=S.payment_method_code,
                         key=S.payment_method_code, id="methods-payment"),
            rx.text("Delivery", size="2"),
            rx.el.select(*[rx.el.option(label(m.value), value=m.value) for m in DeliveryMethod],
                         name="delivery_method", default_value=S.delivery_method,
                         key=S.delivery_method, id="methods-delivery"),
        ),
        S.change_methods, "Save",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.cond(S.can_take_over, rx.button(rx.icon("headset", size=14), "Take over", size="2",
                                           variant="soft", on_click=S.take_over, id="take-over")),
        rx.cond(S.editable, _methods_dialog()),
        rx.cond(S.can_ship, rx.button(rx.icon("truck", size=14), "Ship", size="2",
                                      on_click=S.ship_open_change(True), id="ship-open")),
        rx.cond(S.can_mark_paid, _dialog_form(
            rx.button("Mark paid", size="2", variant="soft", color_scheme="green",
                      id="mark-paid"),
            "Mark paid", rx.input(name="reference", placeholder="Bank reference or cheque number"),
            S.mark_paid, "Mark paid")),
        rx.menu.root(
            rx.menu.trigger(rx.button(rx.icon("printer", size=14), "Documents", size="2",
                                      variant="soft", color_scheme="gray")),
            rx.menu.content(*[
                rx.menu.item(rx.link(text, href="/api/v1/orders/" + S.number.to_string()
                                     + "/documents/" + kind + ".pdf", is_external=True))
                for kind, text in (("invoice", "Invoice"), ("receipt", "Receipt"),
                                   ("packing_slip", "Packing slip"), ("pick_list", "Pick list"))
            ]),
        ),
        rx.link(rx.button(rx.icon("copy", size=14), "Repeat", size="2", variant="soft",
                          color_scheme="gray"),
                href="/phone-order?repeat=" + S.number.to_string(), id="repeat-order"),
        rx.cond(S.can_cancel, _dialog_form(
            rx.button("Cancel order", size="2", variant="soft", color_scheme="red"),
            "Cancel this order", rx.input(name="reason", placeholder="Reason"),
            S.cancel_order, "Cancel order")),
        spacing="2",
    )


def _header() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link(rx.icon("arrow-left", size=16), href="/orders", color="var(--gray-11)"),
            rx.heading("Order #", S.number, size="6", id="order-heading"),
            order_status_badge(S.status),
            payment_status_badge(S.payment_status),
            rx.cond(S.assignee != "", rx.badge(rx.icon("headset", size=12), S.assignee,
                                               variant="outline", color_scheme="violet")),
            rx.spacer(),
            _actions(),
            align="center", spacing="3", width="100%",
        ),
        muted("Placed ", S.placed, " (", S.tz_name, ") · ", S.payment_method, " · ",
              rx.cond(S.delivery_method == "pickup", "Pickup", "Courier"), " · via ", S.source),
        rx.cond(S.hold_reason != "", rx.callout("On hold: " + S.hold_reason, icon="pause",
                                                size="1", color_scheme="orange")),
        rx.cond(S.cancel_reason != "", rx.callout("Cancelled: " + S.cancel_reason, icon="x",
                                                  size="1", color_scheme="gray")),
        spacing="1", width="100%",
    )


def order_view_page() -> rx.Component:
    return page_frame(
        "Order",
        rx.cond(
            S.found,
            rx.vstack(
                _header(),
                _ship_dialog(),
                return_dialog(),
                rx.hstack(surcharge_dialog(), justify="end", width="100%"),
                rx.grid(
                    rx.vstack(_lines_card(), _payments_card(), _shipments_card(),
                              _timeline_card(), spacing="4", width="100%"),
                    rx.vstack(_customer_card(), _address_card(), _notes_card(), spacing="4",
                              width="100%"),
                    columns="minmax(0, 2fr) minmax(0, 1fr)", spacing="4", width="100%",
                ),
                spacing="4", width="100%",
            ),
            rx.center(rx.vstack(rx.icon("search-x", size=28), rx.text("No such order."),
                                rx.link("Back to orders", href="/orders"), align="center"),
                      padding="48px"),
        ),
    )
