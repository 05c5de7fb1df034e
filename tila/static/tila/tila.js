// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  // Formsets: copy the empty form template and raise TOTAL_FORMS.
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const target = document.getElementById(`${prefix}-rows`);
  if (!total || !template || !target) return;
  const index = Number(total.value);
  const html = template.innerHTML.replaceAll("__prefix__", String(index));
  target.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = target.lastElementChild?.querySelector("input, select, textarea");
  if (first) first.focus();
});

// A live exercise's list of whom to give strengths to is redrawn when someone joins or
// answers: keep the choice the participant had made, if that person is still on the list.
document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const current = event.detail.target;
  if (!(current instanceof HTMLSelectElement) || current.id !== "live-to") return;
  const options = [...event.detail.fragment.querySelectorAll("option")];
  const chosen = options.find((option) => option.value === current.value);
  if (!chosen) return;
  options.forEach((option) => option.removeAttribute("selected"));
  chosen.setAttribute("selected", "");
});
