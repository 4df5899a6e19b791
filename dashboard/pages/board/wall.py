"""The wall screen: dark, large type, one column per lane, readable across the room; the
oldest waiting orders first, long lanes cycling, a clock and a "last updated" indicator
that turns red when updates stop."""

import reflex as rx

from dashboard.components.kanban import wall_board
from dashboard.config import merchant_timezone, shop_name
from dashboard.state.board import WallState


def _invalid() -> rx.Component:
    return rx.center(
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
    )


def wall_page() -> rx.Component:
    return rx.theme(
        rx.cond(
            WallState.revoked,
            _invalid(),
            wall_board(
                columns=WallState.columns,
                title=shop_name() + " · " + WallState.screen,
                last_sync=WallState.last_sync,
                stale_seconds=15,
                page_size=6,
                cycle_seconds=8,
                time_zone=merchant_timezone().key,
            ),
        ),
        appearance="dark",
        accent_color="indigo",
        gray_color="slate",
    )


def wall_invalid_page() -> rx.Component:
    return rx.theme(_invalid(), appearance="dark")
