"""Customers: the list with lifetime value, and one customer's page."""

from __future__ import annotations

import reflex as rx

from dashboard.components.badges import order_status_badge, payment_status_badge
from dashboard.components.desk import card, muted, section_title
from dashboard.components.filters import search_box
from dashboard.components.shell import page_frame
from dashboard.state.customers import AddressRow, CustomerDetailState, CustomerRow, CustomersState
from dashboard.state.orders import ADDRESS_FIELDS
from dashboard.state.view import OrderRow


def _row(c: CustomerRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(c.name, href="/customers/" + c.id.to_string(), weight="medium")),
        rx.table.cell(muted(c.email)),
        rx.table.cell(muted(c.phone)),
        rx.table.cell(c.orders, justify="end"),
        rx.table.cell(rx.text(c.value, weight="medium"), justify="end"),
        rx.table.cell(c.last_order),
        class_name="customer-row",
    )


def customers_page() -> rx.Component:
    S = CustomersState
    return page_frame(
        "Customers",
        rx.hstack(muted(S.total_label), rx.spacer(),
                  rx.button("Previous", size="1", variant="soft", disabled=S.page <= 1,
                            on_click=S.go_to_page(S.page - 1)),
                  rx.button("Next", size="1", variant="soft", disabled=~S.more,
                            on_click=S.go_to_page(S.page + 1)),
                  align="center", padding_bottom="12px"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h, justify=j) for h, j in (
                ("Name", "start"), ("Email", "start"), ("Phone", "start"), ("Orders", "end"),
                ("Lifetime value", "end"), ("Last order", "start"))])),
            rx.table.body(rx.foreach(S.rows, _row)),
            variant="surface", size="1", width="100%", id="customers-table",
        ),
        actions=rx.hstack(
            search_box(S.q, S.set_q, "Name, email or phone", "customer-search"),
            rx.link(rx.button(rx.icon("phone", size=14), "Phone order"), href="/phone-order"),
            spacing="2",
        ),
    )


def _order_row(o: OrderRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link("#", o.number, href="/orders/" + o.number, weight="bold")),
        rx.table.cell(o.placed_date), rx.table.cell(o.item_count, justify="end"),
        rx.table.cell(o.total, justify="end"),
        rx.table.cell(payment_status_badge(o.payment_status)),
        rx.table.cell(order_status_badge(o.status)),
    )


def _address(a: AddressRow) -> rx.Component:
    D = CustomerDetailState
    return rx.hstack(
        rx.text(a.text, size="2"),
        rx.spacer(),
        rx.cond(a.default, rx.badge("Default"),
                rx.button("Make default", size="1", variant="ghost",
                          on_click=D.make_default(a.id))),
        rx.icon_button(rx.icon("trash-2", size=12), size="1", variant="ghost", color_scheme="red",
                       on_click=D.delete_address(a.id), aria_label="Delete address"),
        width="100%", align="center",
    )


def customer_page() -> rx.Component:
    D = CustomerDetailState
    edit_form = rx.form(rx.vstack(
        *[rx.input(name=n, default_value=v, placeholder=p) for n, v, p in (
            ("name", D.name, "Name"), ("email", D.email, "Email"), ("phone", D.phone, "Phone"))],
        rx.hstack(rx.button("Save", type="submit", size="1"),
                  rx.button("Cancel", size="1", variant="soft", type="button",
                            on_click=D.toggle_edit(False))),
    ), on_submit=D.save)
    address_form = rx.form(rx.vstack(
        rx.grid(*[rx.input(name=n, placeholder=label_, default_value="AU" if n == "country" else "")
                  for n, label_ in ADDRESS_FIELDS], columns="2", spacing="2"),
        rx.checkbox("Make it the default", name="make_default"),
        rx.hstack(rx.button("Save address", type="submit", size="1"),
                  rx.button("Cancel", size="1", variant="soft", type="button",
                            on_click=D.toggle_add_address(False))),
    ), on_submit=D.add_address, reset_on_submit=True)
    return page_frame(
        "Customer",
        rx.cond(
            D.found,
            rx.grid(
                rx.vstack(
                    card(
                        rx.hstack(rx.heading(D.name, size="5", id="customer-heading"), rx.spacer(),
                                  rx.button("Edit", size="1", variant="soft",
                                            on_click=D.toggle_edit(True))),
                        rx.cond(D.editing, edit_form, rx.vstack(
                            muted(D.email), muted(D.phone), muted("Customer since ", D.since),
                            spacing="0")),
                        rx.hstack(
                            rx.vstack(muted("Lifetime value"), rx.text(D.value, size="5",
                                      weight="bold", id="lifetime-value"), spacing="0"),
                            rx.vstack(muted("Orders"), rx.text(D.order_count, size="5",
                                      weight="bold"), spacing="0"),
                            rx.vstack(muted("First / last order"),
                                      rx.text(D.first_order, " – ", D.last_order, size="2"),
                                      spacing="0"),
                            spacing="6",
                        ),
                        rx.link(rx.button(rx.icon("phone", size=14), "New phone order",
                                          size="2"),
                                href=D.phone_order_href),
                    ),
                    card(
                        rx.hstack(section_title("Addresses"), rx.spacer(),
                                  rx.button("Add", size="1", variant="soft",
                                            on_click=D.toggle_add_address(True))),
                        rx.foreach(D.addresses, _address),
                        rx.cond(D.adding_address, address_form),
                    ),
                    spacing="4", width="100%",
                ),
                card(
                    section_title("Orders (" + D.orders_total.to_string() + ")"),
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                            "Order", "Placed", "Items", "Total", "Payment", "Status")])),
                        rx.table.body(rx.foreach(D.orders, _order_row)),
                        size="1", width="100%", variant="ghost",
                    ),
                ),
                columns="minmax(0, 1fr) minmax(0, 2fr)", spacing="4", width="100%",
            ),
            rx.center(rx.text("No such customer."), padding="48px"),
        ),
    )
