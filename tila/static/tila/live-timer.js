// A round's speaking time: the server sends the seconds left with each update, and this
// counts them down on the screen (from the moment the update arrived, so clocks that differ
// between devices do not matter). Without JavaScript the time shown is the time at the update.
(() => {
  const show = (seconds) => {
    const sign = seconds < 0 ? "−" : "";
    const left = Math.abs(seconds);
    return `${sign}${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  };
  const tick = () => {
    for (const timer of document.querySelectorAll("[data-remaining]")) {
      if (!timer.dataset.until) {
        timer.dataset.until = String(Date.now() + Number(timer.dataset.remaining) * 1000);
      }
      const seconds = Math.ceil((Number(timer.dataset.until) - Date.now()) / 1000);
      const text = show(seconds);
      if (timer.textContent !== text) timer.textContent = text;
      timer.classList.toggle("over", seconds < 0);
    }
  };
  setInterval(tick, 250);
})();
