// Times as the reader sees them: the twin of web/when.py, same rules and words, so a live
// message and the same message after a reload read alike. <body data-zone> is the reader's
// zone; every <time data-when> is refreshed each minute ("5 min" becomes "6 min").
// <body data-when-words> holds the words and patterns in the reader's language (when.py's
// Words, from the same catalog), so both twins speak the same language too.
const WEEKDAY = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
let cached = null;

function words() {
  cached ??= JSON.parse(document.body.dataset.whenWords);
  return cached;
}

function fill(pattern, values) {
  return pattern.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
}

export function readerZone() {
  const zone = document.body?.dataset.zone || "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

function parts(date, zone) {
  const found = {};
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", weekday: "short",
  });
  for (const p of format.formatToParts(date)) found[p.type] = p.value;
  return {
    year: Number(found.year), month: Number(found.month), day: Number(found.day),
    clock: `${found.hour}:${found.minute}`, weekday: WEEKDAY[found.weekday],
  };
}

function dayNumber(p) {
  return Math.round(Date.UTC(p.year, p.month - 1, p.day) / 86400000);
}

export function whenText(date, zone = readerZone(), now = new Date()) {
  const w = words();
  const ago = now - date;
  if (ago < 60000) return w.now;
  if (ago < 3600000) return fill(w.minutes, { n: Math.floor(ago / 60000) });
  const local = parts(date, zone);
  const today = parts(now, zone);
  const days = dayNumber(today) - dayNumber(local);
  if (days === 0) return local.clock;
  if (days === 1) return fill(w.yesterday_at, { time: local.clock });
  if (days > 1 && days < 7) return fill(w.weekday_at, { weekday: w.days[local.weekday], time: local.clock });
  const month = w.months[local.month - 1];
  if (local.year === today.year) return fill(w.day_month, { day: local.day, month });
  return fill(w.day_month_year, { day: local.day, month, year: local.year });
}

export function fullText(date, zone = readerZone()) {
  const w = words();
  const p = parts(date, zone);
  return fill(w.full, {
    weekday: w.days[p.weekday], day: p.day, month: w.months[p.month - 1], year: p.year, time: p.clock,
  });
}

// A <time data-when> for an ISO instant, as the pages render it.
export function timeElement(iso, zone = readerZone()) {
  const date = new Date(iso);
  const el = document.createElement("time");
  el.dateTime = iso;
  el.dataset.when = "";
  el.title = fullText(date, zone);
  el.textContent = whenText(date, zone);
  return el;
}

export function refreshTimes(root = document) {
  const zone = readerZone();
  for (const el of root.querySelectorAll("time[data-when]")) {
    const date = new Date(el.dateTime);
    if (!Number.isNaN(date.getTime())) el.textContent = whenText(date, zone);
  }
}

setInterval(() => refreshTimes(), 60000);
