// Live conversation page: new messages appear without reload, sending keeps working when the
// connection drops (a retry reuses the same idempotency key), and the stream resumes from its
// cursor after a disconnect. Without this file the page still works through plain forms.
const list = document.getElementById("messages");
const form = document.getElementById("send");

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function messageItem(message, me) {
  const item = document.createElement("li");
  item.id = `m-${message.id}`;
  item.dataset.seq = message.seq;
  const mine = message.sender && message.sender.handle === me;
  if (mine) item.className = "mine";
  const meta = document.createElement("p");
  meta.className = "meta";
  const who = document.createElement("strong");
  who.textContent = message.sender ? message.sender.display_name : "Someone";
  const when = document.createElement("time");
  when.dateTime = message.created_at;
  when.textContent = new Date(message.created_at).toLocaleString();
  meta.append(who, " ", when);
  if (message.edited && !message.deleted) {
    const edited = document.createElement("span");
    edited.className = "hint";
    edited.textContent = " (edited)";
    meta.append(edited);
  }
  const body = document.createElement("p");
  if (message.deleted) {
    body.className = "deleted";
    body.textContent = "This message was deleted.";
  } else {
    body.className = "body";
    body.innerHTML = message.html; // rendered and sanitised by the server (nh3)
  }
  item.append(meta);
  if (message.quote && !message.deleted) {
    const quote = document.createElement("blockquote");
    quote.className = "quote";
    const label = document.createElement("p");
    label.className = "hint";
    label.textContent = "Answering a moment:";
    const quoted = document.createElement("p");
    quoted.textContent = message.quote;
    quote.append(label, quoted);
    item.append(quote);
  }
  item.append(body);
  if (mine && !message.deleted) {
    const actions = document.createElement("div");
    actions.className = "actions";
    const edit = document.createElement("a");
    edit.href = `/messages/${message.id}/edit`;
    edit.textContent = "Edit";
    const del = document.createElement("form");
    del.method = "post";
    del.action = `/messages/${message.id}/delete`;
    del.className = "inline";
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "link";
    button.textContent = "Delete";
    del.append(button);
    actions.append(edit, " ", del);
    item.append(actions);
  }
  return item;
}

function note(text) {
  const item = document.createElement("li");
  item.className = "note";
  item.textContent = text;
  return item;
}

function show(message, me) {
  const fresh = messageItem(message, me);
  const existing = document.getElementById(fresh.id);
  if (existing) {
    existing.replaceWith(fresh);
    return;
  }
  document.getElementById("empty")?.remove();
  // In sequence order: a reply sent while the socket was away can arrive before what it missed.
  const later = [...list.querySelectorAll("li[data-seq]")].find((item) => Number(item.dataset.seq) > message.seq);
  list.insertBefore(fresh, later ?? null);
  fresh.scrollIntoView({ block: "nearest" });
}

if (list && list.dataset.live === "yes") {
  const conversationId = Number(list.dataset.conversation);
  const me = list.dataset.me;
  const status = document.getElementById("live-status");
  const title = document.title;
  let cursor = JSON.parse(list.dataset.cursor);
  let retry = 0;
  let readUpTo = 0;

  const markRead = async (seq) => {
    if (seq <= readUpTo || document.hidden) return;
    readUpTo = seq;
    await fetch(`/api/v1/conversations/${conversationId}/read`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ seq }),
    }).catch(() => {});
  };

  const handle = (data) => {
    if (data.type === "ready") {
      cursor = data.cursor;
      status.textContent = "";
      return;
    }
    if (data.type === "notice") {
      // One socket per page: the menu's calm marks (live.js) hear of it from here.
      document.dispatchEvent(new CustomEvent("socialode:notice", { detail: data }));
      return;
    }
    if (data.type !== "event") return;
    cursor.c[String(data.conversation_id)] = data.seq;
    if (data.conversation_id !== conversationId) return;
    if (data.message) show(data.message, me);
    else if (data.kind === "join") list.append(note(`${data.subject.display_name} joined.`));
    else if (data.kind === "leave") list.append(note(`${data.subject.display_name} left.`));
    else if (data.kind === "remove") {
      list.append(note(`${data.subject.display_name} is no longer in this group.`));
      if (data.subject.handle === me) location.reload();
    } else if (data.kind === "rename") list.append(note(`The group is now called ${data.name}.`));
    if (data.notify && document.hidden) document.title = `• ${title}`;
    markRead(data.seq);
  };

  const connect = () => {
    const url = new URL("/api/v1/stream", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("cursor", JSON.stringify(cursor));
    const socket = new WebSocket(url);
    socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
    socket.addEventListener("open", () => {
      retry = 0;
    });
    socket.addEventListener("close", () => {
      status.textContent = "Reconnecting…";
      setTimeout(connect, Math.min(10000, 300 * 2 ** retry++));
    });
  };
  connect();
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      document.title = title;
      markRead(cursor.c[String(conversationId)] || 0);
    }
  });

  let sending = false; // one message in flight at a time: a double click sends once
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    sending = true;
    const field = form.querySelector("textarea[name=body]");
    const keyInput = form.querySelector("input[name=client_key]");
    const error = form.querySelector(".js-error") || document.createElement("p");
    error.className = "error js-error";
    error.id = "e-body-live";
    const showError = (text) => {
      error.textContent = text;
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", error.id);
      field.after(error);
    };
    // What is being sent is fixed now: a retry sends the same text with the same key.
    const outgoing = { client_key: keyInput.value, body: field.value };
    const attempt = async (tries) => {
      let response;
      try {
        response = await fetch(`/api/v1/conversations/${conversationId}/messages`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(outgoing),
        });
      } catch {
        // The network dropped: retry with the same key, so it is never stored twice.
        status.textContent = "Not sent yet: the connection dropped. Trying again…";
        if (tries < 30) {
          setTimeout(() => attempt(tries + 1), Math.min(10000, 1000 * 2 ** tries));
        } else {
          sending = false;
          showError("Not sent: the connection is down. Your text is kept; try again later.");
        }
        return;
      }
      sending = false;
      const isJson = (response.headers.get("content-type") || "").includes("application/json");
      const data = isJson ? await response.json() : null;
      if (response.ok && data) {
        show(data, me);
        if (field.value === outgoing.body) field.value = "";
        keyInput.value = newKey();
        error.remove();
        field.removeAttribute("aria-invalid");
        status.textContent = "Sent.";
      } else {
        showError(data?.detail || `Not sent: the server answered ${response.status}. Your text is kept; try again.`);
      }
    };
    await attempt(0);
  });
}
