"""The filter controls every list page uses: a select over (value, label) options and a
search box that sends what is typed after a 300 ms pause."""

from __future__ import annotations

import reflex as rx


def option_select(options: list[tuple[str, str]], value, on_change, id_: str | None = None,
                  *, min_width: str | None = None, size: str = "2") -> rx.Component:
    trigger = {k: v for k, v in (("min_width", min_width), ("id", id_)) if v is not None}
    return rx.select.root(
        rx.select.trigger(**trigger),
        rx.select.content(*[rx.select.item(text, value=v) for v, text in options]),
        value=value,
        on_change=on_change,
        size=size,
    )


def search_box(value, on_change, placeholder: str, id_: str | None = None, *,
               width: str = "300px", size: str = "2", debounce_ms: int = 300) -> rx.Component:
    extra = {"id": id_} if id_ else {}
    return rx.input(
        rx.input.slot(rx.icon("search", size=15)),
        placeholder=placeholder,
        value=value,
        on_change=on_change.debounce(debounce_ms),
        width=width,
        size=size,
        **extra,
    )
