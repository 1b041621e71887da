// Shindan item scoring: autosave while the consultant works (the Save button still works without JS).
// Each change is sent to the same URL as the form; the save state says what happened.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave='1']");
  if (!form) return;
  const state = form.querySelector("[data-save-state]");
  const areaScore = document.querySelector("[data-area-score]");
  const overallScore = document.querySelector("[data-overall-score]");
  const tabScore = document.querySelector("[data-tab-score]"); // the current area's tab (shindan/_nav.html)
  let timer = null;
  let inFlight = false;
  let again = false;

  const show = (key) => {
    state.textContent = state.dataset[key] || "";
    state.dataset.state = key;
  };

  const save = async () => {
    if (inFlight) { again = true; return; }
    inFlight = true;
    show("saving");
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok || !data.ok) throw new Error("save failed");
      for (const input of form.querySelectorAll("input[type=file]")) {
        input.value = "";
        input.dispatchEvent(new Event("file-pick:cleared")); // js/portal.js shows "no file chosen" again
      }
      // One decimal, as the page shows scores (the ``score`` filter); "–" when nothing is scored.
      const shown = (value) => (value == null ? "–" : Number(value).toFixed(1));
      if (areaScore) areaScore.textContent = shown(data.area_score);
      if (tabScore) tabScore.textContent = shown(data.area_score);
      if (overallScore) overallScore.textContent = shown(data.overall_score);
      show(again ? "dirty" : "saved");
    } catch (error) {
      show("failed");
    } finally {
      inFlight = false;
      if (again) { again = false; schedule(); }
    }
  };

  const schedule = () => {
    show("dirty");
    clearTimeout(timer);
    timer = setTimeout(save, 700);
  };

  form.addEventListener("change", schedule);
  form.addEventListener("input", (event) => { if (event.target.tagName === "TEXTAREA") schedule(); });
  window.addEventListener("beforeunload", (event) => {
    if (state.dataset.state === "dirty" || state.dataset.state === "saving") event.preventDefault();
  });
});
