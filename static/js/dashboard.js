// The print view offers a button that opens the browser's print dialog (save as PDF from there).
const dashboard = document.querySelector(".dash--print");
if (dashboard) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button dash-print-button";
  button.textContent = "Print or save as PDF";
  button.addEventListener("click", () => window.print());
  dashboard.prepend(button);
}

// An export being made: check its progress every 2 seconds and show it; when it is finished (or has
// failed), fetch the page again and show its new state, announced once to screen readers. Without
// this script the page says to reload it, which shows the same.
const exportStatus = document.querySelector("#export-status[data-progress-url]");
if (exportStatus) {
  const announce = document.querySelector("#export-announce");
  const numbers = new Intl.NumberFormat("en-GB");
  const later = () => window.setTimeout(check, 2000);

  async function showFinished() {
    const page = await fetch(window.location.href, { credentials: "same-origin" });
    const fresh = new DOMParser().parseFromString(await page.text(), "text/html").querySelector("#export-status");
    if (!fresh) return;
    exportStatus.replaceChildren(...fresh.childNodes);
    const heading = exportStatus.querySelector("h3");
    if (announce && heading) announce.textContent = `Export: ${heading.textContent}`;
  }

  async function check() {
    try {
      const response = await fetch(exportStatus.dataset.progressUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return later();
      const job = await response.json();
      if (job.status !== "requested" && job.status !== "running") return showFinished();
      const text = exportStatus.querySelector("[data-progress-text]");
      const bar = exportStatus.querySelector("progress");
      if (job.total && text) {
        text.textContent = `${numbers.format(job.done)} of ${numbers.format(job.total)} responses (${job.percent}%).`;
      }
      if (bar && job.percent !== null) {
        bar.value = job.percent;
        bar.textContent = `${job.percent}%`;
      }
      later();
    } catch {
      later();
    }
  }
  later();
}
