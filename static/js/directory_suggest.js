// Suggestions as one types, in the ARIA 1.2 combobox pattern with a listbox popup, for every input with a
// data-suggest-url: the directory's search box (taxonomy terms from /directory/suggestions.json,
// portal/companies/views/directory.py) and the consultant assignment's company field (companies from
// /shindan/assignments/companies.json, shindan/views/desk.py). The URL answers {suggestions: [{label,
// kind_label, value?}]}. Arrow keys move through the suggestions, Enter chooses one: it fills the box
// with its value (its label when it has none) and submits the form, unless data-suggest-submit="false".
// Escape closes the list. Progressive enhancement: without this script the box is a plain field.
const suggestInto = (input) => {
  let list = document.getElementById(input.dataset.suggestList || "");
  if (!list) {
    // No listbox in the page (a field rendered by the form templates): wrap the input and add one.
    const box = document.createElement("div");
    box.className = "combobox";
    input.replaceWith(box);
    box.append(input);
    list = document.createElement("ul");
    list.id = `${input.id}_suggestions`;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel || "");
    list.hidden = true;
    box.append(list);
  }
  const form = input.form;
  const submits = input.dataset.suggestSubmit !== "false";
  let options = [];
  let active = -1;
  let timer = null;
  let latest = 0;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  const setActive = (index) => {
    active = index;
    options.forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };
  const choose = (option) => {
    input.value = option.dataset.value;
    close();
    if (!submits) return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  };
  const show = (suggestions) => {
    list.replaceChildren();
    options = suggestions.map((suggestion, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.value = suggestion.value || suggestion.label;
      const label = document.createElement("span");
      label.textContent = suggestion.label;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = suggestion.kind_label;
      option.append(label, " ", kind);
      // mousedown, not click: the input keeps focus, so its blur does not close the list first.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(option);
      });
      list.append(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
  };
  const fetchSuggestions = async () => {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      show([]);
      return;
    }
    try {
      const url = `${input.dataset.suggestUrl}?${new URLSearchParams({ q: query })}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      if (ticket === latest) show(data.suggestions || []); // an older, slower answer never replaces a newer one
    } catch {
      // Offline or the server is away: the box stays a plain search field.
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) {
        if (options.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        } else {
          fetchSuggestions();
        }
        event.preventDefault();
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = active + step;
      setActive(next < 0 ? options.length - 1 : next >= options.length ? 0 : next);
      event.preventDefault();
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault(); // the search field would clear itself otherwise
      close();
    }
  });
  input.addEventListener("blur", close);
};

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-suggest-url]").forEach(suggestInto);
});
