// Optional: remember the reader's choices (colours off, notes hidden) across pages.
// The page works without this script; the toggles are plain checkboxes styled by CSS.
(function () {
  ["plain-dialogue", "hide-notes"].forEach(function (id) {
    var box = document.getElementById(id);
    if (!box) return;
    try {
      box.checked = localStorage.getItem("sitegen:" + id) === "1";
      box.addEventListener("change", function () {
        localStorage.setItem("sitegen:" + id, box.checked ? "1" : "0");
      });
    } catch (e) { /* storage may be unavailable (private mode, file://) */ }
  });
})();
