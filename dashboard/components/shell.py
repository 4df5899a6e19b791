"""The signed-in page frame: sidebar navigation, top bar and content area."""

import reflex as rx

from dashboard.components.sign_out import sign_out_button
from dashboard.config import shop_name
from dashboard.state.accounts import AuthState, NavItem


def _nav_item(item: NavItem) -> rx.Component:
    # The pages this person's role reaches (AuthState.nav); every page checks again.
    text, href = item.text, item.href
    active = rx.State.router.page.path == href
    return rx.link(
        rx.hstack(
            rx.icon(item.icon, size=16),
            rx.text(text, size="2", weight="medium"),
            spacing="2",
            align="center",
        ),
        href=href,
        underline="none",
        padding_x="10px",
        padding_y="7px",
        border_radius="var(--radius-2)",
        color=rx.cond(active, "var(--accent-11)", "var(--gray-11)"),
        background=rx.cond(active, "var(--accent-3)", "transparent"),
        _hover={"background": "var(--gray-3)", "color": "var(--gray-12)"},
        width="100%",
    )


def _user_box() -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=AuthState.user_initials, size="2", radius="full", variant="solid"),
        rx.vstack(
            rx.text(AuthState.user_name, size="2", weight="medium", trim="both", id="user-name"),
            rx.text(
                AuthState.role_label,
                size="1",
                color_scheme="gray",
                trim="both",
                text_transform="capitalize",
            ),
            spacing="1",
            min_width="0",
            flex="1",
        ),
        rx.tooltip(sign_out_button(), content="Sign out"),
        align="center",
        spacing="2",
        width="100%",
        padding="10px",
        border_top="1px solid var(--gray-a5)",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.center(
                rx.icon("boxes", size=16, color="white"),
                width="28px",
                height="28px",
                background="var(--accent-9)",
                border_radius="var(--radius-2)",
            ),
            rx.vstack(
                rx.text("Fulfil", size="3", weight="bold", trim="both"),
                rx.text(shop_name(), size="1", color_scheme="gray", trim="both"),
                spacing="1",
            ),
            align="center",
            spacing="2",
            padding="14px 14px 10px",
        ),
        rx.vstack(rx.foreach(AuthState.nav, _nav_item), spacing="1", width="100%", padding_x="8px"),
        rx.spacer(),
        _user_box(),
        width="216px",
        min_width="216px",
        height="100vh",
        position="sticky",
        top="0",
        background="var(--gray-2)",
        border_right="1px solid var(--gray-a5)",
        spacing="2",
    )


def page_frame(
    title: str, *content: rx.Component, actions: rx.Component | None = None
) -> rx.Component:
    """Sidebar + top bar; the content only shows once the server has confirmed the user."""
    topbar = rx.hstack(
        rx.heading(title, size="5", weight="bold"),
        rx.spacer(),
        actions or rx.fragment(),
        align="center",
        padding="12px 24px",
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-panel-solid)",
        position="sticky",
        top="0",
        z_index="5",
    )
    body = rx.cond(
        AuthState.user_email != "",
        rx.box(*content, padding="16px 24px"),
        rx.center(rx.spinner(size="3"), height="60vh"),
    )
    return rx.hstack(
        sidebar(),
        rx.box(topbar, body, flex="1", min_width="0"),
        spacing="0",
        align="start",
        width="100%",
        background="var(--color-background)",
    )
