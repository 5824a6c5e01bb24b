// Progressive enhancement only: every page works without this file.
const zoneSelects = document.querySelectorAll("select[data-browser-timezone]");
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
for (const select of zoneSelects) {
  const untouched = select.value === "UTC" && !select.closest("form")?.dataset.keepTimezone;
  if (untouched && browserZone && [...select.options].some((o) => o.value === browserZone)) {
    select.value = browserZone;
  }
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const target = document.getElementById(button.dataset.copy);
    if (target && navigator.clipboard) {
      await navigator.clipboard.writeText(target.value || target.textContent);
      button.textContent = "Copied";
    }
  });
}

// Ask first: a form marked data-confirm="question" asks in a dialog before it is sent, then
// posts with confirm=yes (without JavaScript, the server asks on a page of its own instead).
// Listens in the capture phase, so it asks before any other script handles the submit.
function confirmDialog() {
  let dialog = document.getElementById("confirm-dialog");
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.id = "confirm-dialog";
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
  dialog.setAttribute("aria-describedby", "confirm-dialog-detail");
  const form = document.createElement("form");
  form.method = "dialog";
  const question = document.createElement("h2");
  question.id = "confirm-dialog-question";
  const detail = document.createElement("p");
  detail.id = "confirm-dialog-detail";
  const actions = document.createElement("div");
  actions.className = "confirm-actions";
  const yes = document.createElement("button");
  yes.className = "danger";
  yes.value = "yes";
  const keep = document.createElement("button");
  keep.className = "secondary";
  keep.value = "keep";
  keep.textContent = "Keep";
  actions.append(yes, keep);
  form.append(question, detail, actions);
  dialog.append(form);
  document.body.append(dialog);
  return dialog;
}

function confirmed(form) {
  return form.querySelector('input[name="confirm"]')?.value === "yes";
}

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || confirmed(form)) return;
    if (typeof HTMLDialogElement !== "function") return; // the server asks instead
    event.preventDefault();
    event.stopImmediatePropagation();
    const submitter = event.submitter;
    const dialog = confirmDialog();
    dialog.querySelector("h2").textContent = form.dataset.confirm;
    dialog.querySelector("p").textContent = form.dataset.confirmDetail || "";
    dialog.querySelector('button[value="yes"]').textContent =
      form.dataset.confirmAction || submitter?.textContent.trim() || "Yes";
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue !== "yes") {
          (submitter || form.querySelector("button"))?.focus();
          return;
        }
        const agreed = document.createElement("input");
        agreed.type = "hidden";
        agreed.name = "confirm";
        agreed.value = "yes";
        form.append(agreed);
        form.requestSubmit(submitter && form.contains(submitter) ? submitter : null);
      },
      { once: true },
    );
    dialog.showModal();
    dialog.querySelector('button[value="keep"]').focus();
  },
  true,
);

// A form that came back with problems: move to its summary, whose links lead to each field.
document.querySelector("[data-error-summary]")?.focus();

// A photo chosen in any file picker is shown at once, before anything is sent (a data: URL,
// which the page's rules allow; the server still checks and cleans the file itself).
const PREVIEW_LIMIT = 20 * 1024 * 1024;
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  const anchor = document.getElementById(input.dataset.previewAfter || "") || input;
  const old = document.querySelector(`img.chosen-preview[data-for="${CSS.escape(input.id)}"]`);
  old?.remove();
  for (const extra of document.querySelectorAll(`img.chosen-preview[data-for="${CSS.escape(input.id)}"]`)) {
    extra.remove(); // a picker of several photos shows each
  }
  const files = [...(input.files || [])].slice(0, input.multiple ? 8 : 1).reverse();
  for (const file of files) {
    if (!file.type.startsWith("image/") || file.size > PREVIEW_LIMIT) continue;
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      const img = document.createElement("img");
      img.className = "photo-preview chosen-preview";
      img.dataset.for = input.id;
      img.alt = "Preview of the photo you chose";
      img.src = String(reader.result);
      anchor.after(img);
    });
    reader.readAsDataURL(file);
  }
});

// The share form's chosen photos: Move up / Move down rearrange them in place (without
// JavaScript the buttons send the form back rearranged); the numbers in their labels follow.
function renumber(list) {
  const items = [...list.querySelectorAll("li[data-photo]")];
  items.forEach((item, index) => {
    for (const labelled of item.querySelectorAll("[data-photo-label]")) {
      if (labelled instanceof HTMLImageElement) labelled.alt = labelled.alt.replace(/\d+/, String(index + 1));
      else labelled.textContent = labelled.textContent.replace(/\d+/, String(index + 1));
    }
    item.querySelector('[data-move="up"]').disabled = index === 0;
    item.querySelector('[data-move="down"]').disabled = index === items.length - 1;
  });
}

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-move]") : null;
  const item = button?.closest("li[data-photo]");
  if (!button || !item) return;
  event.preventDefault();
  const up = button.dataset.move === "up";
  const other = up ? item.previousElementSibling : item.nextElementSibling;
  if (!other) return;
  if (up) other.before(item);
  else other.after(item);
  const list = item.parentElement;
  renumber(list);
  const place = [...list.children].indexOf(item) + 1;
  const status = list.parentElement.querySelector("[data-photo-status]");
  if (status) status.textContent = (status.dataset.moved || "Photo moved to place {n}.").replace("{n}", String(place));
  (button.disabled ? item.querySelector("button[data-move]:not(:disabled)") : button)?.focus();
});

// Suggested words under an answer box fill it (to be changed before sending); without
// JavaScript the link opens the page with them in the box.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-fill]") : null;
  const box = link && document.getElementById(link.dataset.fill);
  if (!link || !(box instanceof HTMLTextAreaElement)) return;
  event.preventDefault();
  box.value = link.dataset.words || link.textContent.trim();
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
});

// Photos open larger in a dialog where a page shows any.
if (document.querySelector("[data-viewer]")) {
  import(new URL(`viewer.js${new URL(import.meta.url).search}`, import.meta.url).href);
}
