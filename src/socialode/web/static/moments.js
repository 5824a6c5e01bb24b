// The feed page: when a moment arrives live, say so (a quiet note, no sound, no count);
// the reader chooses when to look. Everything here is optional: the page works without it.
// A page already on its way elsewhere (a form sent, such as signing out) does not reload
// when its session ends under it.
let leaving = false;
addEventListener("beforeunload", () => {
  leaving = true;
});
const note = document.getElementById("live-note");
if (note) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  let socket;
  let delay = 1000;
  const connect = () => {
    socket = new WebSocket(`${scheme}//${location.host}/api/v1/stream`);
    socket.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (data.type === "moment" || data.type === "prompt" || data.type === "support") {
        if (data.moment && data.moment.author && data.moment.author.handle !== note.dataset.me && !note.dataset.shown) {
          // The region is in the page, empty, from the start; filling it is what is announced.
          note.dataset.shown = "1";
          note.classList.add("notice");
          note.textContent = "";
          const link = document.createElement("a");
          link.href = "/feed";
          link.textContent = "Something new from your people. Show it";
          note.append(link);
        }
      }
      if (data.type === "ready") delay = 1000;
      if (data.type === "notice") {
        // One socket per page: the menu's calm marks (live.js) hear of it from here.
        document.dispatchEvent(new CustomEvent("socialode:notice", { detail: data }));
      }
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
  connect();
}
