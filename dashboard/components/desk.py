"""Small parts the desk's pages share: cards, section titles, labelled inputs."""

from __future__ import annotations

import reflex as rx

ADDRESS_STATUS_COLORS = {
    "valid": "green",
    "overridden": "orange",
    "invalid": "red",
    "unverified": "gray",
}


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="3", width="100%"), width="100%", **props)


def section_title(text) -> rx.Component:
    return rx.text(text, size="2", weight="bold", color="var(--gray-12)")


def muted(*text, **props) -> rx.Component:
    return rx.text(*text, size="1", color_scheme="gray", **props)


def field_input(label: str, name: str, value, id_: str, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium"),
        rx.input(name=name, default_value=value, id=id_, size="2", width="100%", **props),
        spacing="1", width="100%",
    )
