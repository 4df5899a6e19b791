"""A clear message when this page's address may not use the app (instead of the event
websocket's bare "Cannot connect to server"): the page asks the server once whether its
origin is allowed (POST /api/session/origin) and, when refused, shows the server's
explanation, which names CORS_ALLOWED_ORIGINS."""

import json

import reflex as rx

from dashboard.components.post_form import backend_url

_SCRIPT = """
(function () {
  function show(message) {
    var box = document.createElement('div');
    box.id = 'origin-refused';
    box.setAttribute('role', 'alert');
    box.textContent = message;
    box.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483647;' +
      'padding:12px 16px;background:#fff1f0;color:#8a1c12;border-bottom:1px solid #f2b8b5;' +
      'font:14px/1.4 system-ui,sans-serif';
    document.body.appendChild(box);
  }
  function check() {
    fetch(ORIGIN_URL, {method: 'POST', credentials: 'omit'})
      .then(function (r) { return r.status === 403 ? r.json() : null; })
      .then(function (body) { if (body && body.message) { show(body.message); } })
      .catch(function () {});
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', check);
  } else { check(); }
})();
"""


def origin_notice() -> rx.Component:
    url = json.dumps(backend_url("/api/session/origin"))
    return rx.script(_SCRIPT.replace("ORIGIN_URL", url))
