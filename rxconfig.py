"""Reflex configuration. The database is managed by dashboard.services (not Reflex)."""

import os

import reflex as rx

_origins = os.environ.get("CORS_ALLOWED_ORIGINS", "http://localhost:3000")

config = rx.Config(
    app_name="dashboard",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=[o.strip() for o in _origins.split(",") if o.strip()],
    redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.TailwindV4Plugin(),
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                accent_color="indigo", gray_color="slate", radius="medium", scaling="95%"
            )
        ),
    ],
)
