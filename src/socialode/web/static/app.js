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
