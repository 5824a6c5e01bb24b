// The conversation page as a chat: it opens at the newest message (or at the first unread,
// under "New"), earlier pages load above without losing your place, Enter sends (Shift+Enter
// makes a line), the draft survives a reload, replies and photos, menus (deleting asks first, through
// app.js), and live updates over the stream: new messages appear without reload,
// sending keeps working when the connection drops (a retry reuses the same idempotency key),
// and the stream resumes from its cursor after a disconnect. Without this file the page still
// works through plain forms and links.
// A page already on its way elsewhere (a form sent, such as signing out) does not reload
// when its session ends under it.
let leaving = false;
addEventListener("beforeunload", () => {
  leaving = true;
});
import { refreshTimes, readerZone, timeElement } from "/static/when.js";

const list = document.getElementById("messages");
const form = document.getElementById("send");
const RUN_GAP_MS = 5 * 60 * 1000; // as bubbles.py: a longer pause starts a new run
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const WEEKDAY = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// -- days, as web/when.py's day_text -----------------------------------------------------------
function localDay(date, zone) {
  const found = {};
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "numeric", day: "numeric", weekday: "short",
  });
  for (const p of format.formatToParts(date)) found[p.type] = p.value;
  const year = Number(found.year);
  const month = Number(found.month);
  const day = Number(found.day);
  return { year, month, day, weekday: WEEKDAY[found.weekday], n: Math.round(Date.UTC(year, month - 1, day) / 86400000) };
}

function dayText(date, zone = readerZone(), now = new Date()) {
  const local = localDay(date, zone);
  const today = localDay(now, zone);
  if (today.n === local.n) return "Today";
  if (today.n - local.n === 1) return "Yesterday";
  if (local.year === today.year) return `${DAYS[local.weekday]} ${local.day} ${MONTHS[local.month - 1]}`;
  return `${local.day} ${MONTHS[local.month - 1]} ${local.year}`;
}

// -- one message, as _message.html renders it ---------------------------------------------------
function lastBubble() {
  const all = list.querySelectorAll("li.msg");
  return all.length ? all[all.length - 1] : null;
}

function quoteOf(id) {
  const target = document.getElementById(`m-${id}`);
  const link = make("a", "reply-quote");
  link.href = `#m-${id}`;
  if (!target) {
    link.append(make("span", "text", "An earlier message"));
    return link;
  }
  const who = target.classList.contains("mine") ? "You" : target.dataset.name || "";
  const body = target.querySelector(".bubble > .body");
  // Words folded for this reader stay folded in the quote: it says what the fold says.
  const folded = target.querySelector(".bubble > details.may-hurt > summary");
  let text = "Photo";
  if (target.querySelector(".bubble > .deleted")) text = "Deleted message";
  else if (folded) text = folded.textContent.trim();
  else if (body) text = body.textContent.trim().split("\n")[0].slice(0, 120);
  link.append(make("span", "who", who), " ", make("span", "text", text));
  return link;
}

function menuFor(message, mine) {
  const menu = make("details", "menu msg-menu");
  const summary = make("summary");
  const more = document.querySelector("#messages .msg-menu summary svg");
  if (more) summary.append(more.cloneNode(true));
  else summary.append(make("span", "visually-hidden", "More options"));
  const inner = make("div", "menu-items");
  const reply = make("a", "", "Reply");
  reply.href = `/conversations/${message.conversation_id}?reply_to=${message.id}#send`;
  reply.dataset.reply = message.id;
  inner.append(reply);
  if (mine) {
    const edit = make("a", "", "Edit");
    edit.href = `/messages/${message.id}/edit`;
    const del = make("form", "inline");
    del.method = "post";
    del.action = `/messages/${message.id}/delete`;
    del.dataset.confirm = "Delete this message?";
    del.dataset.confirmDetail = "Everyone in the conversation will see that a message was deleted, never its words. This cannot be undone.";
    del.dataset.confirmAction = "Delete the message";
    del.append(make("button", "link danger", "Delete"));
    inner.append(edit, del);
  }
  menu.append(summary, inner);
  return menu;
}

function messageItem(message, me, previous) {
  const group = list.dataset.group === "yes";
  const mine = Boolean(message.sender && message.sender.handle === me);
  const sender = message.sender || { handle: "", display_name: "Someone" };
  const at = new Date(message.created_at);
  const prevAt = previous ? new Date(previous.dataset.at) : null;
  const first = !previous || previous.dataset.sender !== sender.handle
    || at - prevAt > RUN_GAP_MS || dayText(at) !== dayText(prevAt);
  const item = make("li", `msg ${mine ? "mine" : "theirs"}${first ? " first" : ""}`);
  item.id = `m-${message.id}`;
  item.dataset.seq = message.seq;
  item.dataset.sender = sender.handle;
  item.dataset.name = sender.display_name;
  item.dataset.at = message.created_at;
  if (group && !mine) {
    const slot = make("span", "msg-face");
    if (first) {
      // Their face as the page already shows it: beside an earlier message, or in the list of
      // the group's people (made larger), so a newcomer's first message is never faceless.
      const who = CSS.escape(sender.handle);
      const shown = document.querySelector(`li.msg[data-sender="${who}"] .msg-face > .face`);
      const listed = document.querySelector(`.members li[data-member="${who}"] > .face`);
      const face = (shown || listed)?.cloneNode(true);
      if (face && !shown) {
        face.classList.replace("face-xs", "face-sm");
        if (face.tagName === "IMG") { face.width = 40; face.height = 40; }
      }
      if (face) slot.append(face);
    }
    item.append(slot);
  }
  const bubble = make("div", "bubble");
  if (group && !mine && first) bubble.append(make("p", "who", sender.display_name));
  else bubble.append(make("span", "visually-hidden", `${mine ? "You" : sender.display_name}:`));
  if (message.deleted) {
    bubble.append(make("p", "deleted", "This message was deleted."));
  } else {
    // Live events name what a reply answers by id; the API's answer to a send gives the quote.
    const replyTo = message.reply_to && typeof message.reply_to === "object" ? message.reply_to.id : message.reply_to;
    if (replyTo) bubble.append(quoteOf(replyTo));
    if (message.quote) {
      const card = make("div", "moment-card");
      card.append(make("p", "label", "Answering a moment"), make("p", "", message.quote));
      bubble.append(card);
    }
    // Words their sender sent anyway after a pause arrive folded, for those who chose that.
    const fold = !mine && message.may_hurt && list.dataset.fold === "yes";
    const holder = fold ? make("details", "may-hurt") : bubble;
    if (fold) {
      holder.append(make("summary", "", list.dataset.foldWords || "This may be hurtful — show?"));
      bubble.append(holder);
    }
    if (message.photo) {
      const link = make("a", "msg-photo");
      link.href = message.photo.url;
      const img = make("img");
      img.src = message.photo.url;
      img.width = message.photo.width;
      img.height = message.photo.height;
      img.alt = `Photo from ${mine ? "you" : sender.display_name} (opens larger)`;
      link.append(img);
      holder.append(link);
    }
    if (message.html) {
      const body = make("p", "body");
      body.innerHTML = message.html; // rendered and sanitised by the server (nh3)
      holder.append(body);
    }
  }
  const meta = make("p", "meta");
  meta.append(timeElement(message.created_at));
  if (message.edited && !message.deleted) meta.append(" ", make("span", "edited", "edited"));
  bubble.append(meta);
  item.append(bubble);
  if (!message.deleted && list.dataset.live === "yes") item.append(menuFor(message, mine));
  return item;
}

function note(text) {
  return make("li", "note", text);
}

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
}

function show(message, me) {
  const existing = document.getElementById(`m-${message.id}`);
  if (existing) {
    const previous = existing.previousElementSibling?.matches("li.msg") ? existing.previousElementSibling : null;
    const fresh = messageItem(message, me, previous);
    fresh.classList.toggle("first", existing.classList.contains("first"));
    const face = existing.querySelector(".msg-face");
    if (face) fresh.querySelector(".msg-face")?.replaceWith(face);
    existing.replaceWith(fresh);
    return;
  }
  document.getElementById("empty")?.remove();
  const follow = nearBottom() || (message.sender && message.sender.handle === me);
  // In sequence order: a reply sent while the socket was away can arrive before what it missed.
  const later = [...list.querySelectorAll("li[data-seq]")].find((item) => Number(item.dataset.seq) > message.seq);
  const before = later ? later.previousElementSibling : lastBubble();
  const previous = before && before.matches("li.msg") ? before : null;
  const fresh = messageItem(message, me, previous);
  const day = dayText(new Date(message.created_at));
  if (!previous || dayText(new Date(previous.dataset.at)) !== day) {
    const separator = make("li", "day");
    separator.append(make("span", "", day));
    list.insertBefore(separator, later ?? null);
  }
  fresh.classList.add("arrived");
  list.insertBefore(fresh, later ?? null);
  if (follow) fresh.scrollIntoView({ block: "end" });
}

// -- opening where you left off ------------------------------------------------------------------
function openAtPlace() {
  if (!list) return;
  if ("scrollRestoration" in history) history.scrollRestoration = "manual"; // we choose the place
  const fragment = location.hash.slice(1);
  const target = (fragment && fragment !== "latest" && document.getElementById(fragment))
    || (fragment !== "latest" && document.getElementById("first-unread"));
  if (target && !target.classList.contains("latest-anchor")) target.scrollIntoView({ block: "start" });
  else window.scrollTo(0, document.documentElement.scrollHeight);
}

// -- earlier pages, above ----------------------------------------------------------------------
function wireEarlier() {
  const holder = document.getElementById("earlier");
  holder?.addEventListener("click", async (event) => {
    const link = event.target.closest('a[href*="cursor="]');
    if (!link) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    let doc;
    try {
      const response = await fetch(link.href, { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(String(response.status));
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      link.removeAttribute("aria-busy");
      return; // the link still works as a plain page
    }
    const older = doc.getElementById("messages");
    const height = document.documentElement.scrollHeight;
    const top = window.scrollY;
    const items = older ? [...older.children].filter((li) => !document.getElementById(li.id) || !li.id) : [];
    // The day of the first message already shown is named above the older ones if it differs.
    const firstDay = list.querySelector("li.day");
    const olderDays = items.filter((li) => li.classList.contains("day")).map((li) => li.textContent);
    if (firstDay && olderDays.includes(firstDay.textContent) && firstDay === list.firstElementChild) firstDay.remove();
    list.prepend(...items.map((li) => document.importNode(li, true)));
    holder.replaceChildren(...[...(doc.getElementById("earlier")?.childNodes || [])].map((n) => document.importNode(n, true)));
    refreshTimes(list);
    window.scrollTo(0, top + document.documentElement.scrollHeight - height);
    holder.querySelector('a[href*="cursor="]')?.focus({ preventScroll: true });
  });
}

// -- the composer ------------------------------------------------------------------------------
function wireComposer(conversationId) {
  const field = form.querySelector("textarea[name=body]");
  const draftKey = `socialode:draft:${conversationId}`;
  const grow = () => {
    field.style.height = "auto";
    field.style.height = `${Math.min(field.scrollHeight + 2, Math.round(window.innerHeight * 0.4))}px`;
  };
  if (!field.value) {
    try {
      field.value = localStorage.getItem(draftKey) || "";
    } catch {
      /* storage may be off: the draft then lives only in the page */
    }
  }
  grow();
  field.addEventListener("input", () => {
    grow();
    try {
      if (field.value) localStorage.setItem(draftKey, field.value);
      else localStorage.removeItem(draftKey);
    } catch {
      /* as above */
    }
  });
  field.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.altKey) return;
    event.preventDefault();
    form.requestSubmit();
  });
  const photo = form.querySelector("input[type=file][name=photo]");
  const photoName = document.getElementById("photo-name");
  photo?.addEventListener("change", () => {
    const file = photo.files && photo.files[0];
    photoName.hidden = !file;
    photoName.textContent = file ? `Photo: ${file.name}. It is sent with your message.` : "";
  });
  // Reply from a message's menu, without leaving the page.
  list.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-reply]");
    if (!link) return;
    event.preventDefault();
    link.closest("details")?.removeAttribute("open");
    const replying = document.getElementById("replying");
    const quote = quoteOf(link.dataset.reply);
    const label = make("span", "label", "Replying to");
    const input = make("input");
    input.type = "hidden";
    input.name = "reply_to";
    input.value = link.dataset.reply;
    const cancel = make("button", "quiet cancel-reply", "Cancel the reply");
    cancel.type = "button";
    cancel.addEventListener("click", () => {
      replying.replaceChildren();
      replying.hidden = true;
      field.focus();
    });
    const line = make("p");
    line.append(label, " ", ...quote.childNodes);
    replying.replaceChildren(input, line, cancel);
    replying.hidden = false;
    field.focus();
  });
  const clearDraft = () => {
    try {
      localStorage.removeItem(draftKey);
    } catch {
      /* as above */
    }
  };
  // Sent as a plain form (a photo, or an earlier page): the page that answers keeps the words
  // itself if they were refused, so the stored draft goes now (the live send clears its own).
  document.addEventListener("submit", (event) => {
    if (event.target === form && !event.defaultPrevented) clearDraft();
  });
  return { field, clearDraft, grow };
}

function clearReply() {
  const replying = document.getElementById("replying");
  if (!replying) return;
  replying.replaceChildren();
  replying.hidden = true;
}

// -- live --------------------------------------------------------------------------------------
if (list) wireEarlier();
// The composer (Enter sends, the draft is kept) on every page of the conversation; sending
// goes through the live socket on the newest page, as a plain form on an earlier one.
const composer = list && form ? wireComposer(Number(list.dataset.conversation)) : null;

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
    socket.addEventListener("close", (event) => {
      // This device's session ended (signed out elsewhere, or the account suspended): the
      // page reloads into the sign-in page instead of trying again.
      if (event.code === 4001) {
        if (!leaving) location.reload(); // not while this page is going elsewhere (signing out)
        return;
      }
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
  // The pause before words that might hurt: the server answers 409 with a token; the text
  // stays in the box to change (the next send carries the token), or goes as it is ("Send
  // anyway"), or is let go ("Discard", which keeps nothing).
  let pauseToken = form?.querySelector("input[name=pause_token]")?.value || "";
  let anyway = false;
  let pausePanel = null;
  const endPause = () => {
    pauseToken = "";
    pausePanel?.remove();
    pausePanel = null;
  };
  const showPause = (token) => {
    pauseToken = token;
    if (pausePanel) return;
    form.querySelector(".pause")?.remove(); // one the server showed without this script
    pausePanel = document.getElementById("pause-live").content.firstElementChild.cloneNode(true);
    pausePanel.setAttribute("role", "alert"); // announced when it appears
    form.querySelector(".composer-row").before(pausePanel);
    pausePanel.querySelector("[data-pause=anyway]").addEventListener("click", () => {
      anyway = true;
      form.requestSubmit();
    });
    pausePanel.querySelector("[data-pause=discard]").addEventListener("click", () => {
      composer.field.value = "";
      composer.clearDraft();
      composer.grow();
      endPause();
      composer.field.focus();
    });
  };
  form?.addEventListener("submit", async (event) => {
    const photo = form.querySelector("input[type=file][name=photo]");
    if (photo && photo.files && photo.files.length) {
      composer.clearDraft(); // a photo goes as the plain form (the server keeps the text on an error)
      return;
    }
    event.preventDefault();
    if (sending) return;
    const field = composer.field;
    const keyInput = form.querySelector("input[name=client_key]");
    const error = form.querySelector(".js-error") || make("p");
    error.className = "error js-error";
    error.id = "e-body-live";
    const showError = (text) => {
      error.textContent = text;
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", error.id);
      form.querySelector(".composer-row").after(error);
    };
    if (!field.value.trim()) {
      showError("Write something before sending.");
      return;
    }
    sending = true;
    // What is being sent is fixed now: a retry sends the same text with the same key.
    const outgoing = { client_key: keyInput.value, body: field.value };
    if (pauseToken) outgoing.pause_token = pauseToken;
    if (pauseToken && anyway) outgoing.send_anyway = true;
    anyway = false;
    const replyTo = form.querySelector("input[name=reply_to]");
    if (replyTo) outgoing.reply_to = Number(replyTo.value);
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
        if (field.value === outgoing.body) {
          field.value = "";
          composer.clearDraft();
          composer.grow();
        }
        if (outgoing.reply_to) clearReply();
        keyInput.value = newKey();
        error.remove();
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
        endPause();
        status.textContent = "Sent.";
        document.getElementById("help-offer").hidden = !data.offer_help;
      } else if (response.status === 409 && data?.pause) {
        error.remove();
        showPause(data.pause.token);
      } else {
        showError(data?.detail || `Not sent: the server answered ${response.status}. Your text is kept; try again.`);
      }
    };
    await attempt(0);
  });
}

openAtPlace();
