// A moment's photos, larger, in a dialog over the page: arrow keys and swipes go to the
// previous or next photo, Escape or Close ends it and focus returns to the photo that
// opened it. Without this file each photo is a link to its own page, which works the same.
let dialog;
let state = { links: [], index: 0, opener: null };

function label(list, name, fallback) {
  return list.dataset[name] || fallback;
}

function build() {
  dialog = document.createElement("dialog");
  dialog.className = "photo-viewer";
  dialog.setAttribute("aria-labelledby", "photo-viewer-title");
  dialog.innerHTML = `
    <div class="photo-viewer-bar">
      <h2 id="photo-viewer-title"></h2>
      <button type="button" class="secondary" data-viewer-close></button>
    </div>
    <figure class="photo-viewer-frame"><img alt=""></figure>
    <div class="photo-viewer-nav">
      <button type="button" class="secondary" data-viewer-step="-1"></button>
      <button type="button" class="secondary" data-viewer-step="1"></button>
    </div>`;
  dialog.querySelector("[data-viewer-close]").addEventListener("click", () => dialog.close());
  for (const button of dialog.querySelectorAll("[data-viewer-step]")) {
    button.addEventListener("click", () => step(Number(button.dataset.viewerStep)));
  }
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") step(1);
    else if (event.key === "ArrowLeft") step(-1);
    else return;
    event.preventDefault();
  });
  let startX = null;
  dialog.addEventListener("touchstart", (event) => {
    startX = event.touches.length === 1 ? event.touches[0].clientX : null;
  }, { passive: true });
  dialog.addEventListener("touchend", (event) => {
    if (startX === null) return;
    const moved = event.changedTouches[0].clientX - startX;
    startX = null;
    if (Math.abs(moved) > 50) step(moved < 0 ? 1 : -1);
  });
  dialog.addEventListener("close", () => state.opener?.focus());
  document.body.append(dialog);
}

function show() {
  const { links, index } = state;
  const link = links[index];
  const list = link.closest("[data-viewer]");
  const thumb = link.querySelector("img");
  const img = dialog.querySelector(".photo-viewer-frame img");
  img.src = link.dataset.full;
  img.width = Number(link.dataset.width);
  img.height = Number(link.dataset.height);
  img.alt = thumb?.alt || "";
  dialog.querySelector("h2").textContent = label(list, "labelOf", "Photo {n} of {total}")
    .replace("{n}", String(index + 1))
    .replace("{total}", String(links.length));
  dialog.querySelector("[data-viewer-close]").textContent = label(list, "labelClose", "Close");
  const [previous, next] = dialog.querySelectorAll("[data-viewer-step]");
  previous.textContent = label(list, "labelPrevious", "Previous photo");
  next.textContent = label(list, "labelNext", "Next photo");
  previous.hidden = index === 0;
  next.hidden = index === links.length - 1;
}

function step(by) {
  const to = state.index + by;
  if (to < 0 || to >= state.links.length) return;
  const focused = document.activeElement;
  state.index = to;
  show();
  if (focused instanceof HTMLElement && focused.hidden) {
    dialog.querySelector("[data-viewer-step]:not([hidden])")?.focus();
  }
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a.moment-photo") : null;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (typeof HTMLDialogElement !== "function") return; // the photo's own page instead
  const list = link.closest("[data-viewer]");
  if (!list) return;
  event.preventDefault();
  if (!dialog) build();
  const links = [...list.querySelectorAll("a.moment-photo")];
  state = { links, index: links.indexOf(link), opener: link };
  show();
  dialog.showModal();
  dialog.querySelector("[data-viewer-close]").focus();
});
