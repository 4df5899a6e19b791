"""Colour-coded badges for order and payment status."""

import reflex as rx

ORDER_COLORS = {
    "unpaid": "amber",
    "paid": "blue",
    "picking": "violet",
    "partially_shipped": "cyan",
    "shipped": "teal",
    "ready_for_pickup": "cyan",
    "collected": "green",
    "completed": "green",
    "on_hold": "orange",
    "cancelled": "gray",
}
PAYMENT_COLORS = {
    "unpaid": "amber",
    "paid": "green",
    "partially_refunded": "orange",
    "refunded": "gray",
}


def _badge(value, colors: dict[str, str], **props) -> rx.Component:
    return rx.match(
        value,
        *[
            (key, rx.badge(key.replace("_", " ").capitalize(), color_scheme=c, **props))
            for key, c in colors.items()
        ],
        rx.badge(value, color_scheme="gray", **props),
    )


def order_status_badge(value) -> rx.Component:
    return _badge(value, ORDER_COLORS, variant="soft", radius="full")


def payment_status_badge(value) -> rx.Component:
    return _badge(value, PAYMENT_COLORS, variant="outline", radius="full")
