"""Reflex configuration. The database is managed by dashboard.services (not Reflex).

Every setting is read and checked here at start (dashboard.config), so a malformed value
stops the app with the variable's name instead of failing on some later page.
"""

import reflex as rx

from dashboard import config as settings

_settings = settings.settings()

config = rx.Config(
    app_name="dashboard",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=list(_settings.security.cors_allowed_origins),
    redis_url=_settings.database.redis_url,
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
