"""The board's drag-and-drop lanes and the wall screen: React components in
assets/kanban/kanban.jsx (lanes and cards, @hello-pangea/dnd for mouse and keyboard
dragging), wrapped for Reflex. They draw what the state sends and report drops, clicks
and scrolling; the server decides everything."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import passthrough_event_spec

_LIBRARY = "$/public/kanban/kanban.jsx"


class KanbanBoard(rx.NoSSRComponent):
    """Lanes of cards. `on_move` gets {number, from, to} when a card is dropped on another
    lane; the card shows there as pending until `revision` changes (the server's answer)."""

    library = _LIBRARY
    tag = "KanbanBoard"
    lib_dependencies: list[str] = ["@hello-pangea/dnd@18.0.1"]

    columns: rx.Var[list[dict]]
    revision: rx.Var[int]
    read_only: rx.Var[bool]
    filter_key: rx.Var[str]

    on_move: rx.EventHandler[passthrough_event_spec(dict)]
    on_open: rx.EventHandler[passthrough_event_spec(int)]
    on_load_more: rx.EventHandler[passthrough_event_spec(str)]


class WallBoard(rx.NoSSRComponent):
    """The kiosk's dark, large-type lanes with a clock and a "last updated" indicator."""

    library = _LIBRARY
    tag = "WallBoard"
    lib_dependencies: list[str] = ["@hello-pangea/dnd@18.0.1"]

    columns: rx.Var[list[dict]]
    title: rx.Var[str]
    last_sync: rx.Var[int]
    stale_seconds: rx.Var[int]
    page_size: rx.Var[int]
    cycle_seconds: rx.Var[int]
    chime: rx.Var[bool]
    time_zone: rx.Var[str]


class ChimeToggle(rx.NoSSRComponent):
    """A bell button: chime when a new order arrives (kept in this browser's storage)."""

    library = _LIBRARY
    tag = "ChimeToggle"
    lib_dependencies: list[str] = ["@hello-pangea/dnd@18.0.1"]


kanban_board = KanbanBoard.create
chime_toggle = ChimeToggle.create
wall_board = WallBoard.create
