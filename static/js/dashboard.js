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
