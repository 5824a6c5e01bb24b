// The Socialode service worker. It keeps only public, static files: the offline page, the
// stylesheet, scripts and icons. Pages and API answers are private and never stored here;
// they always come from the network, and a page that cannot be reached shows the offline page.
const VERSION = "__VERSION__";
const CACHE = `socialode-static-${VERSION}`;
const OFFLINE = "/offline";
const PRECACHE = [
  OFFLINE,
  `/static/style.css?v=${VERSION}`,
  `/static/app.js?v=${VERSION}`,
  `/static/pwa.js?v=${VERSION}`,
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/socialode.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith("socialode-") && n !== CACHE).map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.startsWith("/static/");
}

async function staticFirst(request) {
  const cache = await caches.open(CACHE);
  const found = await cache.match(request);
  if (found) return found;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(OFFLINE);
    if (offline) return offline;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (isStatic(url)) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageOrOffline(request));
  }
  // Everything else (API answers, media, the live stream) goes to the network untouched.
});

function ownUrl(raw) {
  try {
    const url = new URL(raw || "/notifications", self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (error) {
    // fall through to the notifications page
  }
  return new URL("/notifications", self.location.origin).href;
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  const title = message.title || "Socialode";
  const options = {
    body: message.body || "",
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    data: { url: ownUrl(message.url) },
  };
  if (message.tag) {
    options.tag = message.tag; // one per tag: a newer one replaces the older
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = ownUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const same = windows.find((w) => w.url === target);
      if (same) return same.focus();
      const ours = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (ours) {
        return ours
          .navigate(target)
          .then((w) => (w || ours).focus())
          .catch(() => self.clients.openWindow(target));
      }
      return self.clients.openWindow(target);
    }),
  );
});
