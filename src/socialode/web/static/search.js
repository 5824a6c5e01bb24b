// Finding your own people and circles as you type (circles/templates/circles/_search_box.html).
// Progressive enhancement only: without this file every search box is a GET form to /search
// that lists the same results on a page of its own.
//
// - input[data-search="results"]: the results the server renders (/search?part=results) go
//   into the region named by data-search-into; ArrowDown moves into them, Escape clears.
// - input[data-search="filter"]: inside another form; the choices in data-search-in (labels
//   marked data-person="handle" / data-circle="id") are narrowed to what /api/v1/search
//   finds. A chosen one always stays in sight, so nothing is sent unseen.
// Either way a status line (aria-live) says what happened, for screen readers too.
const WAIT_MS = 200;

function debounced(run) {
  let timer;
  return (now) => {
    clearTimeout(timer);
    if (now) run();
    else timer = setTimeout(run, WAIT_MS);
  };
}

// One request at a time per box: a newer search cancels the one still on its way.
function latest() {
  let controller;
  return (url, options = {}) => {
    controller?.abort();
    controller = new AbortController();
    return fetch(url, { ...options, credentials: "same-origin", signal: controller.signal });
  };
}

// A search that fails (offline, a server hiccup) changes nothing on the page: the box still
// works as a form. A newer search cancelling an older one is not a failure either.
function quietly(error) {
  if (error?.name !== "AbortError") console.debug("search did not answer", error);
}

function resultsBox(input) {
  const into = document.getElementById(input.dataset.searchInto || "");
  const said = document.getElementById(input.dataset.searchSaid || "");
  if (!into) return;
  const get = latest();
  let shown = null;
  const search = debounced(async () => {
    const q = input.value.trim();
    if (q === shown) return;
    shown = q;
    if (!q) {
      into.replaceChildren();
      if (said) said.textContent = "";
      input.removeAttribute("aria-invalid");
      return;
    }
    const params = new URLSearchParams({ q, part: "results" });
    if (input.dataset.searchFor) params.set("for", input.dataset.searchFor);
    try {
      const response = await get(`/search?${params}`, { headers: { Accept: "text/html" } });
      if (response.redirected || !(response.ok || response.status === 422)) {
        shown = null;
        return;
      }
      // Our own server's HTML, rendered and escaped by its templates.
      into.innerHTML = await response.text();
      if (response.status === 422) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (said) said.textContent = into.querySelector("[data-said]")?.textContent.trim() || "";
    } catch (error) {
      shown = null;
      quietly(error);
    }
  });
  input.addEventListener("input", () => search(false));
  input.form?.addEventListener("submit", (event) => {
    event.preventDefault();
    search(true);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      const first = into.querySelector("a, button");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      search(true);
    }
  });
  if (input.value.trim()) shown = input.value.trim(); // the page came with these results
}

function filterBox(input) {
  const choices = document.getElementById(input.dataset.searchIn || "");
  const said = document.getElementById(input.dataset.searchSaid || "");
  if (!choices) return;
  const get = latest();
  const items = () => choices.querySelectorAll("[data-person], [data-circle]");
  const chosen = (item) => Boolean(item.querySelector("input:checked"));
  const tell = (text) => {
    if (said) said.textContent = text;
  };
  const showAll = () => {
    for (const item of items()) item.hidden = false;
    for (const group of choices.querySelectorAll("[data-search-group]")) group.hidden = false;
    tell("");
  };
  const search = debounced(async () => {
    const q = input.value.trim();
    if (!q) {
      showAll();
      return;
    }
    let found;
    try {
      const response = await get(`/api/v1/search?${new URLSearchParams({ q })}`, {
        headers: { Accept: "application/json" },
      });
      found = await response.json();
      if (!response.ok) {
        tell(found.detail || "");
        return;
      }
    } catch (error) {
      quietly(error);
      return;
    }
    const people = new Set(found.people.map((p) => p.handle));
    const circles = new Set(found.circles.map((c) => String(c.id)));
    let any = false;
    for (const item of items()) {
      const match = item.dataset.person
        ? people.has(item.dataset.person)
        : circles.has(item.dataset.circle);
      item.hidden = !(match || chosen(item));
      any ||= match;
    }
    // A group (such as the people behind "Or choose people by name") opens when it holds a
    // match, and its hint hides when nothing in it is left to see.
    for (const group of choices.querySelectorAll("[data-search-group]")) {
      const visible = [...group.querySelectorAll("[data-person], [data-circle]")].some(
        (item) => !item.hidden,
      );
      group.hidden = !visible;
      if (visible && group instanceof HTMLDetailsElement) group.open = true;
    }
    const words = (any ? input.dataset.some : input.dataset.none) || "";
    const more = found.more ? ` ${said?.dataset.more || ""}` : "";
    tell(words.replace("{q}", found.query) + more);
  });
  input.dataset.some = said?.dataset.some || "";
  input.dataset.none = said?.dataset.none || "";
  input.addEventListener("input", () => search(false));
  // Enter (or Find) narrows here instead of leaving the page with what was written so far.
  input.form?.addEventListener("submit", (event) => {
    event.preventDefault();
    search(true);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      search(true);
    }
  });
}

for (const input of document.querySelectorAll("input[data-search]")) {
  if (input.dataset.search === "results") resultsBox(input);
  else if (input.dataset.search === "filter") filterBox(input);
}
