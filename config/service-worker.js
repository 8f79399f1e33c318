// The H5 build's service worker (written to dist-h5/sw.js by config/precache-plugin.ts, which
// fills in the version and the list below). Every file of the build is cached on install, so the
// app — the visit form and 我的结对 among it — opens with no signal once it has been opened once.
// Calls to the cloud (/api/) always go to the network: the app's own offline queue handles them.
const VERSION = '__LINLI_VERSION__';
const PRECACHE = __LINLI_PRECACHE__;
const CACHE = 'linli-' + VERSION;
const PRECACHED = new Set(PRECACHE.map((p) => new URL(p, self.location.origin).pathname));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('linli-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // The page itself: the network's when there is one (a new build shows at once), else ours.
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match('/index.html'))),
    );
    return;
  }
  if (!PRECACHED.has(url.pathname)) return;
  // Hashed files never change: the cached copy, or the network's if it is missing.
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(url.pathname))
      .then((hit) => hit || fetch(request)),
  );
});
