// An open conversation asks for new messages every few seconds (plain polling: works on the embedded
// default without Redis). Without JavaScript the page shows new messages on reload.
document.addEventListener("DOMContentLoaded", () => {
  const thread = document.querySelector("[data-poll-url]");
  if (!thread) return;
  const seconds = Math.max(5, parseInt(thread.dataset.pollSeconds, 10) || 15);
  const poll = async () => {
    if (document.hidden) return;
    const url = `${thread.dataset.pollUrl}?after=${encodeURIComponent(thread.dataset.lastId || "0")}`;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      if (data.html) {
        const empty = thread.querySelector("[data-empty]");
        if (empty) empty.remove();
        thread.insertAdjacentHTML("beforeend", data.html);
      }
      thread.dataset.lastId = String(data.last_id);
    } catch (error) {
      // offline for a moment: the next poll tries again
    }
  };
  setInterval(poll, seconds * 1000);
});
