// The pulse survey's answer page: the follow-up questions show only when something went wrong.
// Without JavaScript they simply stay visible (the server ignores them for a "no").
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".pulse-form");
  const followUp = form && form.querySelector("[data-pulse-if-problem]");
  // The managers' preview shows every question.
  if (!followUp || form.dataset.preview) return;
  const update = () => {
    const choice = form.querySelector("input[name=problem]:checked");
    followUp.hidden = !choice || choice.value !== "yes";
  };
  form.querySelectorAll("input[name=problem]").forEach((radio) => radio.addEventListener("change", update));
  update();
});
