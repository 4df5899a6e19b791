"""A plain HTML form that the browser itself posts (no Reflex event): used for signing in
and out, whose responses set and clear the HttpOnly session cookie."""

from __future__ import annotations

from urllib.parse import urlsplit

import reflex as rx
from reflex_base.components.component import field
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.base import BaseHTML


class PostForm(BaseHTML):
    tag = "form"

    action: Var[str] = field(doc="URL the browser posts the form to")
    method: Var[str] = field(doc="HTTP method")


def backend_url(path: str) -> str:
    """Where the browser reaches the backend: relative when the app is served from one
    origin (prod), else the backend's own URL (dev: frontend :3000, backend :8000)."""
    config = rx.config.get_config()
    api, front = urlsplit(config.api_url), urlsplit(config.deploy_url or "")
    if (api.scheme, api.netloc) == (front.scheme, front.netloc):
        return path
    return config.api_url.rstrip("/") + path


def post_form(*children, action: str, **props) -> rx.Component:
    return PostForm.create(*children, action=backend_url(action), method="post", **props)
