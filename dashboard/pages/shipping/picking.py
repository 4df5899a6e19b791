"""The picking app, built for a phone held in one hand (and gloves): big buttons, the
last scan's answer in large type at the top, what to pick in bin order with picked /
wanted per line. A hardware scanner works anywhere on the page (keyboard wedge), the
camera scans through barcode-detector, a code can be typed and "+1" counts an unlabelled
item. Names, addresses, bins, quantities and barcodes only: never prices or payments."""

import reflex as rx

from dashboard.components.post_form import backend_url
from dashboard.components.scanning import camera_scanner, keyboard_wedge, pwa_setup, scan_feedback
from dashboard.components.sign_out import sign_out_button
from dashboard.state.accounts import AuthState, NavItem
from dashboard.state.shipping import (
    SHORT_OPTIONS,
    DoneRow,
    PickCard,
    PickingState,
    PickLineRow,
    StopRow,
)

BIG = "56px"  # the height of every button a picker taps


def _bin(text) -> rx.Component:
    return rx.center(
        rx.text(text, size="4", weight="bold", font_family="var(--code-font-family)"),
        min_width="76px", padding="8px", background="var(--accent-3)",
        border_radius="var(--radius-3)",
    )


def _address(order: PickCard) -> rx.Component:
    return rx.vstack(
        rx.text(order.ship_to, size="2", weight="medium"),
        rx.foreach(order.address, lambda part: rx.text(part, size="2", color_scheme="gray")),
        spacing="0", class_name="pick-address",
    )


def _barcode(code) -> rx.Component:
    return rx.hstack(
        rx.icon("barcode", size=14, color="var(--gray-10)"),
        rx.text(code, size="2", font_family="var(--code-font-family)", class_name="pick-barcode"),
        spacing="1", align="center",
    )


# --- the queue: orders to claim ---------------------------------------------------------


def _queue_line(line: PickLineRow) -> rx.Component:
    return rx.hstack(
        _bin(line.bin_location),
        rx.vstack(rx.text(line.name, size="3", weight="medium"),
                  rx.text(line.sku, size="1", color_scheme="gray",
                          font_family="var(--code-font-family)"),
                  _barcode(line.barcode), spacing="0", flex="1", min_width="0"),
        rx.text("× ", line.quantity, size="5", weight="bold", class_name="pick-qty"),
        align="center", spacing="3", width="100%", padding_y="8px",
        border_top="1px solid var(--gray-a4)", class_name="pick-line",
    )


def _queue_card(order: PickCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("#", order.number, size="6", weight="bold",
                        font_family="var(--code-font-family)"),
                rx.spacer(),
                rx.badge(order.delivery, variant="soft", size="2"),
                align="center", width="100%",
            ),
            rx.text(order.units, " units · waiting ", order.waiting, size="2",
                    color_scheme="gray"),
            _address(order),
            rx.foreach(order.lines, _queue_line),
            rx.cond(
                order.claimed_by != "",
                rx.hstack(
                    rx.badge(rx.icon("user", size=14), "Being picked by ", order.claimed_by,
                             size="3", color_scheme="amber", class_name="pick-claimed"),
                    rx.cond(AuthState.role_label != "Picker",
                            rx.button("Free", variant="soft", color_scheme="gray",
                                      on_click=PickingState.free_claim(order.number))),
                    align="center", width="100%",
                ),
                rx.hstack(
                    rx.button(rx.icon("hand", size=20), "Claim", size="4", height=BIG, flex="1",
                              on_click=PickingState.claim(order.number),
                              id="claim-" + order.number, class_name="pick-claim"),
                    rx.button(
                        rx.cond(PickingState.selected.contains(order.number),
                                rx.icon("square-check", size=22), rx.icon("square", size=22)),
                        variant="soft", size="4", height=BIG, width=BIG,
                        aria_label="Add to batch", on_click=PickingState.toggle(order.number),
                        class_name="pick-select",
                    ),
                    width="100%", spacing="2",
                ),
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="pick-order", id="queue-" + order.number,
    )


# --- what this picker is picking --------------------------------------------------------


def _short_menu(number, line: PickLineRow) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button("Short", variant="soft", color_scheme="orange", size="3",
                                  height="48px", class_name="pick-short")),
        rx.menu.content(
            *[rx.menu.item(text, on_click=PickingState.short(number, line.sku, value),
                           class_name=f"short-{value}")
              for value, text in SHORT_OPTIONS],
        ),
    )


def _pick_line(number, line: PickLineRow) -> rx.Component:
    return rx.hstack(
        _bin(line.bin_location),
        rx.vstack(
            rx.text(line.name, size="3", weight="medium"),
            rx.text(line.sku, size="1", color_scheme="gray", font_family="var(--code-font-family)"),
            _barcode(line.barcode),
            rx.cond(line.short > 0, rx.text("short ", line.short, size="2", color_scheme="orange",
                                            weight="bold")),
            spacing="0", flex="1", min_width="0",
        ),
        rx.vstack(
            rx.text(line.picked, " / ", line.quantity, size="6", weight="bold",
                    class_name="pick-count",
                    color=rx.cond(line.done, "var(--green-11)", "var(--gray-12)")),
            rx.cond(
                line.done,
                rx.icon("circle-check", size=28, color="var(--green-10)"),
                rx.hstack(
                    rx.button("+1", size="3", height="48px", min_width="56px",
                              on_click=PickingState.plus_one(number, line.sku),
                              class_name="pick-plus"),
                    _short_menu(number, line),
                    spacing="1",
                ),
            ),
            align="end", spacing="1",
        ),
        align="center", spacing="3", width="100%", padding_y="10px",
        border_top="1px solid var(--gray-a4)",
        background=rx.cond(line.done, "var(--green-a2)", "transparent"),
        class_name="pick-line", data_sku=line.sku,
    )


def _mine_card(order: PickCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("#", order.number, size="6", weight="bold",
                        font_family="var(--code-font-family)"),
                rx.badge(order.delivery, variant="soft", size="2"),
                rx.spacer(),
                rx.badge(order.progress, size="3",
                         color_scheme=rx.cond(order.complete, "green", "gray"),
                         class_name="pick-progress"),
                align="center", width="100%",
            ),
            _address(order),
            rx.foreach(order.lines, lambda line: _pick_line(order.number, line)),
            rx.hstack(
                rx.button(rx.icon("package-check", size=22),
                          rx.cond(order.pickup, "Finish: ready for pickup", "Finish: packed"),
                          size="4", height=BIG, flex="1", color_scheme="green",
                          disabled=~order.complete, on_click=PickingState.finish(order.number),
                          id="finish-" + order.number, class_name="pick-finish"),
                rx.button("Release", variant="soft", color_scheme="gray", size="4", height=BIG,
                          on_click=PickingState.release(order.number),
                          id="release-" + order.number),
                width="100%", spacing="2",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="pick-mine", id="mine-" + order.number,
        border="2px solid var(--accent-8)",
    )


def _stop(stop: StopRow) -> rx.Component:
    return rx.hstack(
        _bin(stop.bin_location),
        rx.vstack(rx.text(stop.name, size="3", weight="medium"),
                  rx.text(stop.split, size="2", color_scheme="gray"),
                  spacing="0", flex="1", min_width="0"),
        rx.text(stop.picked, " / ", stop.quantity, size="5", weight="bold"),
        align="center", spacing="3", width="100%", padding_y="6px",
        border_top="1px solid var(--gray-a4)", class_name="pick-stop",
    )


def _done(row: DoneRow) -> rx.Component:
    base = backend_url("/api/v1/orders/")
    return rx.card(
        rx.vstack(
            rx.hstack(rx.text("#", row.number, size="5", weight="bold"), rx.spacer(),
                      rx.icon_button(rx.icon("x", size=18), variant="ghost",
                                     on_click=PickingState.dismiss(row.number),
                                     aria_label="Dismiss"),
                      width="100%", align="center"),
            rx.text(row.text, size="4", weight="bold", color_scheme="green",
                    class_name="pick-outcome"),
            rx.hstack(
                rx.link(rx.button(rx.icon("file-text", size=18), "Packing slip", size="3",
                                  height="48px", variant="soft"),
                        href=base + row.number + "/documents/packing_slip.pdf", is_external=True,
                        class_name="pick-slip"),
                rx.link(rx.button(rx.icon("tag", size=18), "Label", size="3", height="48px",
                                  variant="soft"),
                        href=base + row.number + "/label.pdf", is_external=True,
                        class_name="pick-label"),
                spacing="2", wrap="wrap",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="pick-done", id="done-" + row.number,
        background="var(--green-a2)",
    )


# --- the top: bar, scan answer, scan input ----------------------------------------------


def _menu_link(item: NavItem) -> rx.Component:
    return rx.menu.item(rx.link(item.text, href=item.href, underline="none"))


def _top_bar() -> rx.Component:
    return rx.hstack(
        rx.menu.root(
            rx.menu.trigger(rx.icon_button(rx.icon("menu", size=20), variant="ghost", size="3")),
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
        rx.button(rx.cond(PickingState.mode == "counter", rx.icon("store", size=18),
                          rx.icon("scan-barcode", size=18)),
                  rx.cond(PickingState.mode == "counter", "Counter", "Pick"),
                  variant="soft", size="3",
                  on_click=PickingState.set_mode(
                      rx.cond(PickingState.mode == "counter", "pick", "counter")),
                  aria_label="Switch between picking and the pickup counter", id="mode"),
        rx.icon_button(rx.icon("refresh-cw", size=18), variant="soft", size="3",
                       on_click=PickingState.refresh, aria_label="Refresh", id="refresh"),
        sign_out_button(),
        align="center", spacing="2", padding="10px 12px", position="sticky", top="0",
        z_index="5", background="var(--color-panel-solid)",
        border_bottom="1px solid var(--gray-a5)", width="100%",
    )


def _flash() -> rx.Component:
    scheme = {"error": "var(--red-9)", "done": "var(--green-9)", "ok": "var(--accent-9)"}
    background = rx.match(PickingState.flash_kind, *scheme.items(), "var(--gray-9)")
    return rx.cond(
        PickingState.flash != "",
        rx.box(
            rx.hstack(
                rx.cond(PickingState.flash_kind == "error", rx.icon("octagon-alert", size=30),
                        rx.icon("circle-check", size=30)),
                rx.text(PickingState.flash, size="5", weight="bold"),
                align="center", spacing="3",
            ),
            role="alert", aria_live="assertive", id="pick-flash",
            data_kind=PickingState.flash_kind, data_seq=PickingState.flash_seq,
            background=background, color="white", padding="14px 16px",
            border_radius="var(--radius-4)", width="100%",
            class_name=rx.cond(PickingState.flash_kind == "error", "pick-flash pick-shake",
                               "pick-flash"),
        ),
    )


def _scan_bar() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.input(name="code", placeholder=rx.cond(PickingState.mode == "counter",
                                                          "Order barcode", "Type a code"),
                         size="3", height="48px", flex="1", id="typed-code",
                         auto_complete="off", input_mode="text"),
                rx.button(rx.icon("corner-down-left", size=20), size="3", height="48px",
                          type="submit", aria_label="Enter code", id="typed-submit"),
                rx.button(rx.icon("camera", size=20), size="3", height="48px",
                          variant=rx.cond(PickingState.camera_on, "solid", "soft"), type="button",
                          on_click=PickingState.toggle_camera, aria_label="Camera", id="camera-toggle"),
                width="100%", spacing="2",
            ),
            on_submit=PickingState.submit_typed, reset_on_submit=True, width="100%",
        ),
        camera_scanner(active=PickingState.camera_on, on_scan=PickingState.scan),
        spacing="2", width="100%",
    )


def _body() -> rx.Component:
    queue = rx.cond(
        PickingState.orders.length() > 0,
        rx.vstack(
            rx.cond(PickingState.selected.length() > 0,
                    rx.button(rx.icon("layers", size=20), "Claim ",
                              PickingState.selected.length(), " as a batch", size="4",
                              height=BIG, width="100%", on_click=PickingState.claim_selected,
                              id="claim-batch")),
            rx.foreach(PickingState.orders, _queue_card),
            spacing="3", width="100%",
        ),
        rx.cond(PickingState.mine.length() == 0,
                rx.center(rx.text("Nothing to pick right now.", color_scheme="gray"),
                          height="30vh", id="pick-empty")),
    )
    counter = rx.callout("Scan the order barcode on the pickup email or packing slip to hand "
                         "the order over.", icon="store", size="3", width="100%", id="counter")
    return rx.vstack(
        _flash(),
        _scan_bar(),
        rx.foreach(PickingState.done, _done),
        rx.cond(PickingState.mode == "counter", counter, rx.fragment(
            rx.cond(PickingState.stops.length() > 0,
                    rx.card(rx.vstack(rx.heading("Batch walk", size="4"),
                                      rx.foreach(PickingState.stops, _stop),
                                      spacing="1", width="100%"),
                            width="100%", id="batch-walk")),
            rx.foreach(PickingState.mine, _mine_card),
            rx.cond(PickingState.mine.length() > 0,
                    rx.heading("Queue", size="4", padding_top="8px")),
            queue,
        )),
        spacing="3", width="100%",
    )


_STYLE = """
@keyframes pick-shake {0%,100%{transform:translateX(0)}20%,60%{transform:translateX(-8px)}40%,80%{transform:translateX(8px)}}
.pick-shake{animation:pick-shake .4s ease-in-out 2}
#picking button{touch-action:manipulation}
"""


def picking_page() -> rx.Component:
    body = rx.cond(PickingState.loaded, _body(),
                   rx.center(rx.spinner(size="3"), height="50vh"))
    return rx.box(
        pwa_setup(),
        rx.el.style(_STYLE),
        keyboard_wedge(on_scan=PickingState.scan),
        scan_feedback(seq=PickingState.flash_seq, kind=PickingState.flash_kind),
        _top_bar(),
        rx.box(body, padding="12px", max_width="640px", margin="0 auto"),
        min_height="100vh", background="var(--gray-2)", id="picking",
    )
