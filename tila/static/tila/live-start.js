// Starting a live exercise: show only the chosen method's own settings. Without JavaScript
// every method's settings stay visible, each under the method's name.
document.addEventListener("DOMContentLoaded", () => {
  const choices = document.querySelectorAll("input[name=method]");
  const settings = document.querySelectorAll(".live-settings[data-method]");
  const update = () => {
    const chosen = document.querySelector("input[name=method]:checked");
    for (const group of settings) {
      group.hidden = !chosen || group.dataset.method !== chosen.value;
    }
  };
  for (const choice of choices) choice.addEventListener("change", update);
  update();
});
