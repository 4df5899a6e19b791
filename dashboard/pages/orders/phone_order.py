"""The phone-order form: customer, address, products, delivery and payment, place."""

from __future__ import annotations

import reflex as rx

from dashboard.components.desk import card, muted, section_title
from dashboard.components.shell import page_frame
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod
from dashboard.state.orders import ADDRESS_FIELDS, CartLine, Choice, PhoneOrderState, Problem
from dashboard.state.view import label

S = PhoneOrderState


def _customer_choice(c: Choice) -> rx.Component:
    return rx.hstack(
        rx.text(c.name, size="2", weight="medium"), muted(c.email), muted(c.phone),
        on_click=S.choose_customer(c.id), cursor="pointer", padding="6px 8px", width="100%",
        _hover={"background": "var(--gray-3)"}, class_name="customer-choice",
    )


def _customer_card() -> rx.Component:
    chosen = rx.vstack(
        rx.text(S.customer_name, weight="medium", id="chosen-customer"),
        muted(S.customer_email), muted(S.customer_phone), spacing="0",
    )
    new_form = rx.grid(
        *[rx.vstack(rx.text(text, size="1", weight="medium"),
                    rx.input(value=value, on_change=S.set_customer_field(name),
                             id="customer-" + name, width="100%"),
                    spacing="1")
          for name, text, value in (("name", "Name", S.customer_name),
                                    ("email", "Email", S.customer_email),
                                    ("phone", "Phone", S.customer_phone))],
        columns="3", spacing="2", width="100%",
    )
    return card(
        rx.hstack(section_title("Customer"), rx.spacer(),
                  rx.button(rx.icon("user-plus", size=14), "New customer", size="1",
                            variant="soft", on_click=S.start_new_customer, id="new-customer"),
                  align="center"),
        rx.box(
            rx.input(rx.input.slot(rx.icon("search", size=14)), value=S.customer_query,
                     on_change=S.search_customers.debounce(250),
                     placeholder="Find a customer: name, email or phone", id="find-customer"),
            rx.cond(S.customer_results.length() > 0, rx.vstack(
                rx.foreach(S.customer_results, _customer_choice), spacing="0", width="100%",
                border="1px solid var(--gray-a6)", border_radius="var(--radius-2)")),
            width="100%",
        ),
        rx.cond(S.new_customer, new_form, rx.cond(S.customer_email != "", chosen,
                                                    muted("Find the customer, or add a new one."))),
    )


def _problem(p: Problem) -> rx.Component:
    return rx.text(rx.text.strong(p.field, ": "), p.text, size="2", color_scheme="red",
                   class_name="address-problem")


def _address_card() -> rx.Component:
    return card(
        rx.hstack(
            section_title("Shipping address"), rx.spacer(),
            rx.cond(S.address_checked, rx.cond(
                S.address_valid, rx.badge("Valid", color_scheme="green", id="address-state"),
                rx.badge("Has problems", color_scheme="red", id="address-state"))),
            align="center",
        ),
        rx.grid(
            *[rx.vstack(rx.text(text, size="1", weight="medium"),
                        rx.input(value=S.address[name], on_change=S.set_address_field(name),
                                 id="addr-" + name, width="100%"),
                        spacing="1")
              for name, text in ADDRESS_FIELDS],
            columns="2", spacing="2", width="100%",
        ),
        rx.foreach(S.address_problems, _problem),
        rx.cond(S.suggestion != "", rx.callout.root(
            rx.callout.icon(rx.icon("wand-sparkles", size=14)),
            rx.callout.text("The post writes it as: ", S.suggestion),
            rx.button("Use this", size="1", on_click=S.use_suggestion, id="use-suggestion"),
            size="1", color_scheme="blue")),
        rx.button("Check address", size="2", variant="soft", on_click=S.check_address,
                  id="check-address"),
    )


def _cart_row(line: CartLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(line.sku, font_family="var(--code-font-family)", size="2")),
        rx.table.cell(line.name),
        rx.table.cell(line.price_label, justify="end"),
        rx.table.cell(rx.vstack(
            rx.input(value=line.quantity_text, type="number", min="1", width="72px", size="1",
                     on_change=S.set_line_quantity(line.sku).debounce(300),
                     id="cart-qty-" + line.sku),
            rx.cond(line.quantity_error != "", rx.text(
                line.quantity_error, size="1", color_scheme="red", class_name="qty-error")),
            align="end", spacing="1"), justify="end"),
        rx.table.cell(rx.badge(line.available, " available",
                               color_scheme=rx.cond(line.short, "red", "green"),
                               variant="soft", class_name="availability"), justify="end"),
        rx.table.cell(line.line_total, justify="end"),
        rx.table.cell(rx.icon_button(rx.icon("x", size=13), size="1", variant="ghost",
                                     on_click=S.remove_line(line.sku), aria_label="Remove")),
        class_name="cart-row", data_sku=line.sku,
    )


def _products_card() -> rx.Component:
    results = rx.vstack(
        rx.foreach(S.product_results, lambda p: rx.hstack(
            rx.text(p["sku"], size="1", font_family="var(--code-font-family)"),
            rx.text(p["name"], size="2"), rx.spacer(), rx.text(p["price"], size="2"),
            rx.badge(p["available"], " available", size="1", variant="soft"),
            on_click=S.add_product(p["sku"]), cursor="pointer", padding="6px 8px",
            width="100%", _hover={"background": "var(--gray-3)"}, class_name="product-option",
        )),
        spacing="0", width="100%", border="1px solid var(--gray-a6)",
        border_radius="var(--radius-2)",
    )
    return card(
        rx.hstack(section_title("Products"), rx.spacer(),
                  rx.button(rx.icon("refresh-cw", size=13), "Availability", size="1",
                            variant="ghost", on_click=S.refresh_availability), align="center"),
        rx.form(
            rx.input(rx.input.slot(rx.icon("scan-barcode", size=14)), name="code",
                     value=S.product_query, on_change=S.search_products.debounce(200),
                     placeholder="Search by name or SKU, or scan a barcode and press Enter",
                     id="product-search", width="100%"),
            on_submit=S.scan, reset_on_submit=True, width="100%",
        ),
        rx.cond(S.product_results.length() > 0, results),
        rx.cond(S.cart.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                "SKU", "Product", "Price", "Qty", "Available", "Total", "")])),
            rx.table.body(rx.foreach(S.cart, _cart_row)), size="1", width="100%",
            variant="ghost", id="cart")),
        rx.cond(S.any_short, rx.callout("Some lines ask for more than is available.",
                                        icon="triangle-alert", color_scheme="orange", size="1")),
        rx.cond(S.cart.length() > 0, rx.hstack(
            rx.spacer(), rx.text("Subtotal ", S.subtotal, weight="bold", id="subtotal"),
            width="100%")),
    )


def _checkout_card() -> rx.Component:
    return card(
        section_title("Delivery and payment"),
        rx.hstack(
            rx.vstack(rx.text("Delivery", size="1", weight="medium"), rx.select.root(
                rx.select.trigger(id="delivery-method"),
                rx.select.content(*[rx.select.item(label(m.value), value=m.value)
                                    for m in DeliveryMethod]),
                value=S.delivery_method, on_change=S.set_delivery_method), spacing="1"),
            rx.vstack(rx.text("Payment", size="1", weight="medium"), rx.select.root(
                rx.select.trigger(id="payment-method"),
                rx.select.content(*[rx.select.item(label(m.value), value=m.value)
                                    for m in PaymentMethod]),
                value=S.payment_method, on_change=S.set_payment_method), spacing="1"),
            rx.vstack(rx.text("Shipping price", size="1", weight="medium"),
                      rx.input(value=S.shipping_price, on_change=S.set_shipping_price,
                               width="110px", id="shipping-price"), spacing="1"),
            spacing="4", wrap="wrap",
        ),
        rx.text_area(value=S.note, on_change=S.set_note.debounce(300),
                     placeholder="Note from the customer (optional)", width="100%",
                     id="phone-note"),
        rx.cond(S.note_error != "", rx.text(S.note_error, size="1", color_scheme="red",
                                            id="phone-note-error")),
        rx.cond(S.error != "", rx.callout(S.error, icon="circle-alert", color_scheme="red",
                                          size="1", id="phone-error")),
        rx.hstack(
            rx.checkbox("Place anyway with the address flagged", checked=S.place_anyway,
                        on_change=S.set_place_anyway, id="place-anyway"),
            rx.spacer(),
            rx.button(rx.icon("phone", size=15), "Place order", size="3", on_click=S.place,
                      id="place-order"),
            align="center", width="100%",
        ),
    )


def phone_order_page() -> rx.Component:
    return page_frame(
        "New phone order",
        rx.cond(S.repeat_of > 0, rx.callout(
            "Repeating order #" + S.repeat_of.to_string() + ": today's prices; adjust and place.",
            icon="copy", size="1")),
        rx.grid(
            rx.vstack(_customer_card(), _address_card(), spacing="4", width="100%"),
            rx.vstack(_products_card(), _checkout_card(), spacing="4", width="100%"),
            columns="minmax(0, 1fr) minmax(0, 1fr)", spacing="4", width="100%",
        ),
    )
