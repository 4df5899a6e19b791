// The picking app's service worker: makes /picking installable ("Add to home screen")
// and shows a plain offline notice instead of the browser's error page. It caches only
// the app shell's icons and manifest: orders always come live from the server.
const CACHE = "fulfil-picking-v1";
const SHELL = ["/picking/manifest.webmanifest", "/picking/icon-192.png", "/picking/icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
    return;
  }
  if (event.request.mode === "navigate") {
    event.respondWith(
      fetch(event.request).catch(() => new Response(
        "<!doctype html><meta name=viewport content='width=device-width'><body style='font:18px system-ui;padding:24px'><h1>Offline</h1><p>The picking app needs the shop's network. Reconnect and pull to refresh.</p>",
        { headers: { "Content-Type": "text/html" } },
      )),
    );
  }
});
