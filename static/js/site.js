import { initAll } from "../build/nhsuk/nhsuk-frontend.min.js";

// NHS.UK frontend marks radios and checkboxes that reveal a question with aria-expanded, which ARIA
// does not allow on them (axe: aria-allowed-attr). The revealed question follows its choice and is
// linked by aria-controls, so the attribute is removed as soon as it appears.
const isChoice = (element) => element.matches('input[type="radio"], input[type="checkbox"]');
new MutationObserver((records) => {
  for (const { target } of records) {
    if (isChoice(target) && target.hasAttribute("aria-expanded")) target.removeAttribute("aria-expanded");
  }
}).observe(document.body, { subtree: true, attributeFilter: ["aria-expanded"] });

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// The header's "More" menu closes on Escape, which hides the link that had focus: focus would fall
// to the page itself. Send it back to the button that opened the menu.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const menu = event.target.closest(".nhsuk-header__menu");
  if (menu && event.target.closest(".nhsuk-header__menu-list")) {
    menu.querySelector(".nhsuk-header__menu-toggle")?.focus();
  }
});

// Videos: nothing is requested from the video host until the person presses play.
for (const player of document.querySelectorAll('[data-module="app-video"]')) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nhsuk-button nhsuk-button--secondary";
  button.textContent = `Play video: ${player.dataset.title} (loads from YouTube)`;
  button.addEventListener("click", () => {
    const frame = document.createElement("div");
    frame.className = "app-video__frame";
    const iframe = document.createElement("iframe");
    iframe.src = player.dataset.embedUrl;
    iframe.title = `Video: ${player.dataset.title}`;
    iframe.allow = "autoplay; encrypted-media; picture-in-picture";
    iframe.allowFullscreen = true;
    frame.append(iframe);
    player.replaceChildren(frame);
    iframe.focus();
  });
  player.prepend(button);
}
