"""The picker's scanning parts: React components in assets/picking/scan.jsx wrapped for
Reflex. A keyboard-wedge listener for hardware scanners (anywhere on the page, no field
to focus), the phone camera through `barcode-detector` (ZXing in WebAssembly), the sound
and vibration of a scan's answer, and the installable app's manifest and service worker.
They report codes; the server decides what a code means."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import passthrough_event_spec

_LIBRARY = "$/public/picking/scan.jsx"
# zxing-wasm pinned to the build barcode-detector 3.2.2 was made with: its JS glue and the
# .wasm the page serves must be the same version (else "memory access out of bounds").
_DEPENDENCIES = ["barcode-detector@3.2.2", "zxing-wasm@3.1.3"]


class _Scan(rx.NoSSRComponent):
    library = _LIBRARY
    lib_dependencies: list[str] = _DEPENDENCIES


class KeyboardWedge(_Scan):
    """Collects the keys a scanner types (outside form fields) until Enter: `on_scan`."""

    tag = "KeyboardWedge"
    on_scan: rx.EventHandler[passthrough_event_spec(str)]


class CameraScanner(_Scan):
    """The rear camera while `active`; each new code read is sent to `on_scan`."""

    tag = "CameraScanner"
    active: rx.Var[bool]
    on_scan: rx.EventHandler[passthrough_event_spec(str)]


class ScanFeedback(_Scan):
    """A beep (two low tones for a refusal) and a vibration on each new `seq`."""

    tag = "ScanFeedback"
    seq: rx.Var[int]
    kind: rx.Var[str]


class PwaSetup(_Scan):
    """The manifest link and theme colour (React hoists them into the head) and the
    service worker registration for /picking."""

    tag = "PwaSetup"


keyboard_wedge = KeyboardWedge.create
camera_scanner = CameraScanner.create
scan_feedback = ScanFeedback.create
pwa_setup = PwaSetup.create
