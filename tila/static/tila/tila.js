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
