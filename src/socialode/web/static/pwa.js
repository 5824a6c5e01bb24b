// Installable app: registers the service worker, and on the devices page switches
// notifications on this device on and off. Progressive enhancement only.
const worker = "serviceWorker" in navigator
  ? navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null)
  : Promise.resolve(null);

function keyBytes(base64url) {
  const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function send(method, body) {
  const response = await fetch("/api/v1/push/subscriptions", {
    method,
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    throw new Error(answer.detail || "That did not work. Please try again.");
  }
}

async function setUp(section) {
  const state = section.querySelector("[data-push-state]");
  const on = section.querySelector("[data-push-on]");
  const off = section.querySelector("[data-push-off]");
  const problem = section.querySelector("[data-push-error]");
  const registration = await worker;
  if (!registration || !("PushManager" in window) || !("Notification" in window)) {
    state.textContent = "This browser can't show notifications from a website. On a phone, add this site to your home screen and open it from there.";
    return;
  }
  await navigator.serviceWorker.ready;

  async function show() {
    const current = await registration.pushManager.getSubscription();
    if (Notification.permission === "denied") {
      state.textContent = "Notifications are blocked for this site in your browser's settings. Allow them there to turn them on here.";
    } else if (current) {
      state.textContent = "Notifications are on for this device.";
    } else {
      state.textContent = "Notifications are off for this device.";
    }
    on.hidden = Boolean(current) || Notification.permission === "denied";
    off.hidden = !current;
  }

  function failed(error) {
    problem.textContent = error.message;
    problem.hidden = false;
  }

  on.addEventListener("click", async () => {
    problem.hidden = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") return show();
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(section.dataset.pushKey),
      });
      await send("POST", subscription.toJSON());
      window.location.reload();
    } catch (error) {
      failed(error);
    }
  });

  off.addEventListener("click", async () => {
    problem.hidden = true;
    try {
      const current = await registration.pushManager.getSubscription();
      if (current) {
        await send("DELETE", { endpoint: current.endpoint });
        await current.unsubscribe();
      }
      window.location.reload();
    } catch (error) {
      failed(error);
    }
  });

  await show();
}

const section = document.querySelector("[data-push]");
if (section) setUp(section);

// Signing out turns this device's notifications off first: whoever uses the browser next
// must not see the notifications of the one who left. Never holds the sign-out up long.
async function turnOffHere() {
  const registration = await worker;
  const current = registration && registration.pushManager
    ? await registration.pushManager.getSubscription()
    : null;
  if (current) {
    await send("DELETE", { endpoint: current.endpoint });
    await current.unsubscribe();
  }
}

for (const form of document.querySelectorAll('form[action="/logout"]')) {
  form.addEventListener("submit", (event) => {
    if (!("serviceWorker" in navigator)) return;
    event.preventDefault();
    const enough = new Promise((resolve) => setTimeout(resolve, 3000));
    Promise.race([turnOffHere(), enough]).catch(() => null).then(() => form.submit());
  });
}
