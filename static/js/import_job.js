// The import job page follows its job: it polls the small JSON status endpoint (no inline script: the
// CSP forbids it) and reloads once the job is finished, which shows the result or the errors.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-import-job]");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  const label = box.querySelector("[role=status]");
  const bar = box.querySelector("progress");
  const url = box.dataset.importJob;
  let delay = 1000;

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const job = await response.json();
        if (job.finished) {
          window.location.reload();
          return;
        }
        if (label.textContent !== job.label) {
          label.textContent = job.label;
        }
        bar.value = job.percent;
        bar.textContent = `${job.percent}%`;
        delay = 1000;
      } else {
        delay = Math.min(delay * 2, 10000);
      }
    } catch (error) {
      delay = Math.min(delay * 2, 10000); // offline for a moment: try again, less often
    }
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
});
