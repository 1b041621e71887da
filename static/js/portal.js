// Progressive enhancement only: every page works without JavaScript (no framework, no inline script).
document.addEventListener("DOMContentLoaded", () => {
  // The header's menu button (under 640 px the CSS folds the menu behind it). Without this script the
  // button stays hidden and the menu stays open.
  const toggle = document.querySelector(".menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    const setOpen = (open) => toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.hidden = false;
    setOpen(false);
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && !event.target.closest("details[open]")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // The header's drop-down menus are <details>: open and close without script; here one open menu closes
  // the others, and a click elsewhere or Escape closes it.
  const menus = [...document.querySelectorAll(".site-header details")];
  for (const details of menus) {
    details.addEventListener("toggle", () => {
      if (details.open) for (const other of menus) if (other !== details) other.open = false;
    });
    details.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && details.open) {
        event.stopPropagation();
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  }
  document.addEventListener("click", (event) => {
    for (const details of menus) if (details.open && !details.contains(event.target)) details.open = false;
  });

  // A table wider than its column (on a phone) scrolls inside its own box (focusable, named after the
  // table's heading) instead of pushing the whole page sideways. Without JS the page scrolls instead.
  const heading = (table) => {
    for (let node = table; node && node.tagName !== "MAIN"; node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName)) return before;
      }
    }
    return null;
  };
  const fitTables = () => {
    for (const table of document.querySelectorAll("main table")) {
      if (table.closest(".table-scroll, .grid-scroll")) continue;
      if (table.scrollWidth <= table.parentElement.clientWidth + 1) continue;
      const box = document.createElement("div");
      box.className = "table-scroll";
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      const title = heading(table);
      if (title && title.id) box.setAttribute("aria-labelledby", title.id);
      else box.setAttribute("aria-label", (title || table.querySelector("th") || table).textContent.trim().slice(0, 80));
      table.before(box);
      box.append(table);
    }
  };
  fitTables();
  window.addEventListener("resize", fitTables);

  // The Shindan scoring page's sticky Save bar: the page keeps its height free when it scrolls a focused
  // control into view (css/portal.css: scroll-padding-bottom), also when the bar wraps on a phone.
  const bar = document.querySelector(".sticky-save");
  if (bar) {
    const keepRoom = () => document.documentElement.style.setProperty("--sticky-save-height", `${bar.offsetHeight}px`);
    keepRoom();
    new ResizeObserver(keepRoom).observe(bar);
  }

  // File inputs: the browser words its button and "no file chosen" in its own language, not the page's
  // (a Japanese page in an English browser said "Choose File"). Here a button and the chosen files' names
  // in the page's language (templates/base.html's data attributes) stand in front of the input, which stays
  // in the form, focusable and named by its own label (visually hidden; its focus ring shows on the button).
  // Files dropped on the box are taken as if chosen. Without this script the browser's own input shows.
  const words = document.body.dataset;
  for (const input of document.querySelectorAll("input[type=file]")) {
    if (input.closest(".file-pick")) continue;
    const box = document.createElement("span");
    box.className = "file-pick";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary file-pick-button";
    button.tabIndex = -1; // the input itself takes the focus (Enter or Space opens the picker)
    button.setAttribute("aria-hidden", "true");
    button.textContent = input.multiple ? words.filesChoose : words.fileChoose;
    button.disabled = input.matches(":disabled"); // a read-only form (its fieldset disabled) offers no picker
    const names = document.createElement("span");
    names.className = "file-pick-names";
    const show = () => {
      const chosen = [...input.files].map((file) => file.name);
      names.textContent = chosen.length ? chosen.join(", ") : words.fileNone;
      box.classList.toggle("chosen", chosen.length > 0);
    };
    input.before(box);
    box.append(input, button, names);
    input.classList.add("file-pick-input");
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", show);
    // a script that empties the input (js/shindan.js after an autosave) says so with this event
    input.addEventListener("file-pick:cleared", show);
    box.addEventListener("dragover", (event) => { event.preventDefault(); box.classList.add("dragging"); });
    box.addEventListener("dragleave", () => box.classList.remove("dragging"));
    box.addEventListener("drop", (event) => {
      event.preventDefault();
      box.classList.remove("dragging");
      if (input.matches(":disabled")) return;
      const dropped = [...event.dataTransfer.files].slice(0, input.multiple ? undefined : 1);
      if (!dropped.length) return;
      const transfer = new DataTransfer();
      for (const file of dropped) transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    show();
  }

  // After a form error the error summary (templates/portal/_error_summary.html) takes the focus, so a
  // screen reader reads it first; its links move the focus to the field they name.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      const target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      const field = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea, button");
      (field || target).focus();
      target.scrollIntoView({ block: "center" });
    });
  }

  // The header's unread counts (the Messages link: deals/unread/; the bell, templates/notifications/_bell.html:
  // notifications/unread/), asked for now and every minute: plain polling, so it works without Redis.
  // Without JavaScript the links are there without a count.
  for (const unread of document.querySelectorAll("[data-unread-url]")) {
    const badge = unread.querySelector(".badge");
    if (!badge) continue;
    const refresh = async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(unread.dataset.unreadUrl, { credentials: "same-origin" });
        if (!response.ok) return;
        const count = (await response.json()).unread;
        badge.textContent = count ? String(count) : "";
        badge.hidden = !count;
        // The bell's name says the count ("Notifications, 3 unread", translated in its data attributes).
        if (unread.dataset.labelUnread) {
          unread.setAttribute("aria-label", count ? unread.dataset.labelUnread.replace("__COUNT__", String(count)) : unread.dataset.labelRead);
        }
      } catch (error) {
        // try again at the next tick
      }
    };
    refresh();
    setInterval(refresh, 60000);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  }
});
