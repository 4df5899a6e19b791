"""The picking view, built for a phone held in one hand: one card per order in the
Picking queue, lines in bin order with big bin labels, quantities and barcodes."""

import reflex as rx

from dashboard.components.sign_out import sign_out_button
from dashboard.state.accounts import AuthState, NavItem
from dashboard.state.shipping import PickCard, PickingState, PickLineRow


def _line(line: PickLineRow) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.text(line.bin_location, size="3", weight="bold", font_family="var(--code-font-family)"),
            min_width="72px",
            padding="6px 8px",
            background="var(--accent-3)",
            border_radius="var(--radius-2)",
        ),
        rx.vstack(
            rx.text(line.name, size="3", weight="medium"),
            rx.text(line.sku, size="1", color_scheme="gray", font_family="var(--code-font-family)"),
            rx.hstack(
                rx.icon("barcode", size=14, color="var(--gray-10)"),
                rx.text(line.barcode, size="2", font_family="var(--code-font-family)",
                        class_name="pick-barcode"),
                spacing="1",
                align="center",
            ),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.text("× ", line.quantity, size="5", weight="bold", class_name="pick-qty"),
        align="center",
        spacing="3",
        width="100%",
        padding_y="8px",
        border_top="1px solid var(--gray-a4)",
        class_name="pick-line",
    )


def _card(order: PickCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("#", order.number, size="5", weight="bold",
                        font_family="var(--code-font-family)"),
                rx.spacer(),
                rx.badge(order.delivery, variant="soft", size="2"),
                align="center",
                width="100%",
            ),
            rx.hstack(
                rx.text(order.units, " units · waiting ", order.waiting, size="2",
                        color_scheme="gray"),
                width="100%",
            ),
            rx.vstack(
                rx.text(order.ship_to, size="2", weight="medium"),
                rx.foreach(order.address, lambda part: rx.text(part, size="2", color_scheme="gray")),
                spacing="0",
                class_name="pick-address",
            ),
            rx.foreach(order.lines, _line),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="pick-order",
    )


def _menu_link(item: NavItem) -> rx.Component:
    return rx.menu.item(rx.link(item.text, href=item.href, underline="none"))


def _top_bar() -> rx.Component:
    return rx.hstack(
        rx.menu.root(
            rx.menu.trigger(rx.icon_button(rx.icon("menu", size=18), variant="ghost", size="3")),
            rx.menu.content(rx.foreach(AuthState.nav, _menu_link)),
        ),
        rx.vstack(
            rx.heading("Picking", size="5", trim="both"),
            rx.text(PickingState.orders.length(),
                    rx.cond(PickingState.orders.length() == 1, " order · ", " orders · "),
                    AuthState.user_name, size="1", color_scheme="gray", trim="both",
                    id="user-name"),
            spacing="1",
        ),
        rx.spacer(),
        rx.icon_button(rx.icon("refresh-cw", size=18), variant="soft", size="3",
                       on_click=PickingState.refresh, aria_label="Refresh", id="refresh"),
        sign_out_button(),
        align="center",
        spacing="3",
        padding="10px 14px",
        position="sticky",
        top="0",
        z_index="5",
        background="var(--color-panel-solid)",
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
    )


def picking_page() -> rx.Component:
    body = rx.cond(
        PickingState.loaded,
        rx.cond(
            PickingState.orders.length() > 0,
            rx.vstack(rx.foreach(PickingState.orders, _card), spacing="3", width="100%"),
            rx.center(rx.text("Nothing to pick right now.", color_scheme="gray"), height="50vh",
                      id="pick-empty"),
        ),
        rx.center(rx.spinner(size="3"), height="50vh"),
    )
    return rx.box(
        _top_bar(),
        rx.box(body, padding="12px", max_width="640px", margin="0 auto"),
        min_height="100vh",
        background="var(--gray-2)",
        id="picking",
    )
