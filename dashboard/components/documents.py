"""Document buttons for wherever an order is shown: a menu of PDFs, print pages and the
thermal printer; and the batch bar for the selected orders of a list."""

from __future__ import annotations

import reflex as rx

from dashboard.components.filters import option_select
from dashboard.components.post_form import backend_url
from dashboard.state.documents import FORMAT_OPTIONS, KIND_OPTIONS, DocumentsState
from dashboard.state.orders import BulkState

_ITEMS = [
    ("invoice", "Invoice", "file-text"),
    ("receipt", "Receipt", "receipt"),
    ("packing_slip", "Packing slip", "package-open"),
    ("pick_list", "Pick list", "list-checks"),
]


def _href(number, kind: str, ext: str, query: str = "") -> rx.Var:
    base = backend_url("/api/v1/orders/")
    return f"{base}{number}/documents/{kind}.{ext}{query}"


def documents_menu(number) -> rx.Component:
    """A "Documents" menu for one order (`number` a string var)."""
    items = []
    for kind, text, icon in _ITEMS:
        items.append(rx.menu.sub(
            rx.menu.sub_trigger(rx.hstack(rx.icon(icon, size=14), rx.text(text), spacing="2",
                                          align="center")),
            rx.menu.sub_content(
                rx.menu.item(rx.link("PDF (A4 / Letter)", href=_href(number, kind, "pdf"),
                                     is_external=True, underline="none")),
                rx.menu.item(rx.link("PDF, 80 mm docket", href=_href(number, kind, "pdf", "?format=thermal80"),
                                     is_external=True, underline="none")),
                rx.menu.item(rx.link("Print page", href=_href(number, kind, "html"),
                                     is_external=True, underline="none")),
                rx.menu.item(rx.link("Download PDF", href=_href(number, kind, "pdf", "?download=true"),
                                     underline="none")),
            ),
        ))
    label = f"{backend_url('/api/v1/orders/')}{number}/label.pdf"
    return rx.menu.root(
        rx.menu.trigger(rx.icon_button(rx.icon("printer", size=15), variant="ghost",
                                       color_scheme="gray", size="1",
                                       aria_label="Documents", class_name="documents-menu")),
        rx.menu.content(
            *items,
            rx.menu.item(rx.link(rx.hstack(rx.icon("tag", size=14), rx.text("Courier label (4 × 6 in)"),
                                           spacing="2", align="center"),
                                 href=label, is_external=True, underline="none",
                                 class_name="label-link")),
            rx.menu.separator(),
            rx.menu.item(rx.hstack(rx.icon("printer", size=14), rx.text("Docket to receipt printer"),
                                   spacing="2"),
                         on_click=DocumentsState.print_docket(number, "packing_slip")),
            rx.menu.item(rx.hstack(rx.icon("receipt", size=14), rx.text("Receipt to receipt printer"),
                                   spacing="2"),
                         on_click=DocumentsState.print_docket(number, "receipt")),
            size="1",
        ),
    )


def _select(options, value, on_change, id_: str) -> rx.Component:
    return option_select(options, value, on_change, id_, size="1")


def batch_bar() -> rx.Component:
    """Shown while orders are selected: one PDF for all of them, with progress."""
    s = DocumentsState
    return rx.cond(
        BulkState.count > 0,
        rx.hstack(
            rx.icon("printer", size=15, color="var(--gray-10)"),
            rx.text("Documents for the ", BulkState.count, " selected:", size="2"),
            _select(KIND_OPTIONS, s.batch_kind, s.set_batch_kind, "batch-kind"),
            _select(FORMAT_OPTIONS, s.batch_format, s.set_batch_format, "batch-format"),
            rx.button(rx.icon("file-stack", size=14), "Make one PDF", size="1",
                      on_click=s.make_batch, loading=s.batch_status == "running", id="make-batch"),
            rx.link(rx.button(rx.icon("tag", size=14), "Courier labels", size="1", variant="soft"),
                    href=backend_url("/api/v1/labels.pdf?orders=") + BulkState.selected.join(","),
                    is_external=True, id="batch-labels"),
            rx.cond(s.batch_status == "running",
                    rx.hstack(rx.progress(value=s.batch_percent, width="160px"),
                              rx.text(s.batch_done, " of ", s.batch_total, size="1",
                                      color_scheme="gray"),
                              align="center", spacing="2", id="batch-progress")),
            rx.cond(s.batch_status == "ready",
                    rx.link(rx.button(rx.icon("download", size=14), "Download PDF", size="1",
                                      color_scheme="green"),
                            href=backend_url("") + s.batch_file, id="batch-download")),
            rx.cond(s.batch_status == "failed",
                    rx.text(s.batch_error, size="1", color_scheme="red")),
            align="center", spacing="3", padding="8px 12px", margin_bottom="8px",
            border="1px solid var(--gray-a5)", border_radius="var(--radius-3)",
            background="var(--gray-2)", id="batch-bar", wrap="wrap",
        ),
    )
