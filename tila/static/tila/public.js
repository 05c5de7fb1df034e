// Public pages: show the crisis event's date and time only when the crisis box is ticked,
// and tick it when the page was opened from a "crisis inquiry" link. Without JavaScript
// every field stays visible.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("input[name=is_crisis]");
  const when = document.querySelector("[data-crisis-when]");
  if (!box || !when) return;
  if (new URLSearchParams(window.location.search).get("crisis") === "1") box.checked = true;
  const update = () => { when.hidden = !box.checked; };
  box.addEventListener("change", update);
  update();
});
