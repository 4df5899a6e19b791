"""The wall screen: dark, large type, one column per lane, readable across the room."""

import reflex as rx

from dashboard.services.settings import shop_name
from dashboard.state.wall import WallCard, WallLane, WallState

ACCENT = {
    "unpaid": "amber", "paid": "blue", "picking": "violet", "shipped_today": "green",
    "ready_for_pickup": "cyan", "on_hold": "red",
}


def _card(card: WallCard) -> rx.Component:
    return rx.hstack(
        rx.text(card.number, size="6", weight="bold", font_family="var(--code-font-family)"),
        rx.spacer(),
        rx.vstack(
            rx.text(card.age, size="4", weight="medium"),
            rx.text(card.delivery, size="2", color_scheme="gray"),
            align="end",
            spacing="0",
        ),
        width="100%",
        align="center",
        padding="8px 4px",
        border_top="1px solid var(--gray-a5)",
        class_name="wall-card",
    )


def _lane(lane: WallLane) -> rx.Component:
    color = rx.match(lane.key, *ACCENT.items(), "gray")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(lane.title, size="6", weight="medium", color_scheme="gray"),
                rx.spacer(),
                rx.badge(lane.count, size="3", color_scheme=color, variant="solid",
                         class_name="wall-count", style={"font_size": "2.4rem",
                                                         "padding": "0.2em 0.5em"}),
                width="100%",
                align="center",
            ),
            rx.foreach(lane.cards, _card),
            spacing="2",
            width="100%",
        ),
        class_name="wall-lane",
        data_lane=lane.key,
        size="3",
    )


def _header() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.heading(shop_name(), size="8"),
            rx.text(WallState.screen, size="3", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.hstack(
            rx.box(width="14px", height="14px", border_radius="50%",
                   background=rx.cond(WallState.live, "var(--green-9)", "var(--red-9)")),
            rx.text("Updated ", WallState.updated, size="3", color_scheme="gray", id="wall-updated"),
            align="center",
            spacing="2",
        ),
        rx.text(WallState.clock, size="9", weight="bold", id="wall-clock"),
        align="center",
        spacing="6",
        width="100%",
    )


def wall_page() -> rx.Component:
    return rx.theme(
        rx.box(
            rx.vstack(
                _header(),
                rx.grid(rx.foreach(WallState.lanes, _lane), columns="3", spacing="4", width="100%"),
                spacing="5",
                padding="28px",
            ),
            min_height="100vh",
            background="var(--gray-1)",
            id="wall",
        ),
        appearance="dark",
        accent_color="indigo",
        gray_color="slate",
    )


def wall_invalid_page() -> rx.Component:
    return rx.theme(
        rx.center(
            rx.vstack(
                rx.icon("monitor-x", size=48),
                rx.heading("This wall-screen link is not valid", size="7"),
                rx.text("It was revoked, or mistyped. Ask an owner for a new link "
                        "(Settings → Wall screens).", size="4", color_scheme="gray"),
                align="center",
                spacing="3",
            ),
            min_height="100vh",
            background="var(--gray-1)",
            id="wall-invalid",
        ),
        appearance="dark",
    )
