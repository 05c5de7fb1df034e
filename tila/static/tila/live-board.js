// A board on the supervisor's control page: drag a note onto another field or ring. The same
// move is a select and a button in each note's "Move or group" (keyboard and screen reader);
// dragging only saves a few clicks. The change comes back to every screen over the socket.
document.addEventListener("dragstart", (event) => {
  const note = event.target.closest && event.target.closest(".board-note[draggable=true]");
  if (!note) return;
  event.dataTransfer.setData("text/plain", note.dataset.note);
  event.dataTransfer.effectAllowed = "move";
});

const dropArea = (event) => event.target.closest && event.target.closest(".board [data-area]");

document.addEventListener("dragover", (event) => {
  if (dropArea(event)) event.preventDefault();
});

document.addEventListener("drop", (event) => {
  const area = dropArea(event);
  const key = event.dataTransfer.getData("text/plain");
  const form = key && document.querySelector(`#note-${CSS.escape(key)} form.note-move`);
  if (!area || !form) return;
  event.preventDefault();
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  const body = new URLSearchParams({ note: key, move: "area", area: area.dataset.area });
  fetch(form.getAttribute("action"), {
    method: "POST",
    body,
    headers: { ...headers, "HX-Request": "true" },
    credentials: "same-origin",
  });
});
