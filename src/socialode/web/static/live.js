// Calm marks, live: when something reaches you while Socialode is open, a dot appears on
// Conversations or Notifications (never a number), the page title gains a small mark, and a
// quiet note says what it was. Nothing arrives here during your quiet hours or together mode:
// the server holds it. Optional: every page shows the marks without this file too.
// A page already on its way elsewhere (a form sent, such as signing out) does not reload
// when its session ends under it.
let leaving = false;
addEventListener("beforeunload", () => {
  leaving = true;
});
const me = document.body.dataset.viewer;
if (me) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const baseTitle = document.title.replace(/^• /, "");
  const marked = () => document.querySelector("[data-mark].marked") !== null;
  const retitle = () => {
    document.title = marked() ? `• ${baseTitle}` : baseTitle;
  };
  const mark = (which) => {
    const link = document.querySelector(`[data-mark="${which}"]`);
    if (!link || link.classList.contains("marked")) return;
    link.classList.add("marked");
    const dot = document.createElement("span");
    dot.className = "dot tab-dot";
    const words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = " (something new)";
    link.append(dot, words);
  };
  const say = (text, url) => {
    const region = document.getElementById("live-notice");
    if (!region || new URL(url, location.href).pathname === location.pathname) return;
    region.textContent = "";
    const link = document.createElement("a");
    link.href = url;
    link.textContent = text;
    region.append(link);
    region.hidden = false;
  };
  const notice = (data) => {
    for (const which of data.marks || []) {
      // Already looking at it: no mark for what is on the screen.
      if (!location.pathname.startsWith(`/${which}`)) mark(which);
    }
    retitle();
    say(data.text, data.url);
  };
  // Pages with a live socket of their own (a conversation, the feed) pass notices on.
  document.addEventListener("socialode:notice", (event) => notice(event.detail));
  const ownSocket = document.querySelector("#messages[data-live='yes'], #live-note") === null;
  let delay = 1000;
  const connect = () => {
    const socket = new WebSocket(`${scheme}//${location.host}/api/v1/stream`);
    socket.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (data.type === "ready") delay = 1000;
      if (data.type === "notice") notice(data);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4001) {
        if (!leaving) location.reload(); // the session ended: the page goes to sign-in
        return;
      }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  if (ownSocket) connect();
}
