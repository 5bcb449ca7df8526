// Starts the NHS.UK frontend components and PeerPath's small enhancements.
// Every page works without this file.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();

// Show only the follow-up question that fits the chosen answer. The questions sit right
// after their radios, so no ARIA state is needed; without JavaScript all are shown.
for (const group of document.querySelectorAll("[data-pp-reveal-group]")) {
  const name = group.getAttribute("data-pp-reveal-group");
  const radios = group.querySelectorAll(`input[type="radio"][name="${name}"]`);
  const update = () => {
    const chosen = [...radios].find((radio) => radio.checked)?.value;
    for (const part of group.querySelectorAll("[data-pp-reveal-when]")) {
      part.hidden = part.getAttribute("data-pp-reveal-when") !== chosen;
    }
  };
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
}
