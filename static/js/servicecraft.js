// servicecraft's own behaviour, kept in a static file so the CSP can forbid inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  // A <form data-confirm="…"> asks before submitting (deactivate, retire, cancel).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
