// Training pages: tick every person in the planner, mark everyone attended.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-check-all]").forEach((button) => {
    button.addEventListener("click", () => {
      const boxes = document.querySelectorAll(`input[type=checkbox][name="${button.dataset.checkAll}"]`);
      const tick = Array.from(boxes).some((box) => !box.checked);
      boxes.forEach((box) => { box.checked = tick; });
    });
  });
  document.querySelectorAll("[data-mark-all]").forEach((button) => {
    button.addEventListener("click", () => {
      document.querySelectorAll(`input[type=radio][value="${button.dataset.markAll}"]`).forEach((radio) => {
        radio.checked = true;
      });
    });
  });
});
