// servicecraft's own behaviour, kept in a static file so the CSP can forbid inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  // A stacked table names each cell after its column on a phone (see .table-stack).
  document.querySelectorAll("table.table-stack").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (cell.colSpan === 1 && headers[index] !== undefined) cell.dataset.label = headers[index];
      });
    });
  });
  // A table that scrolls inside its container must be reachable by keyboard (WCAG 2.1.1).
  document.querySelectorAll(".table-responsive").forEach((region) => {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      const caption = region.querySelector("caption, th");
      region.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
    }
  });
  // A button marked data-disable-on-submit cannot be pressed twice (a double click sends
  // one report, starts one recompute); it says that it is working.
  document.querySelectorAll("button[data-disable-on-submit]").forEach((button) => {
    button.form?.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      window.setTimeout(() => {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }, 0);
    });
  });
  // A search box marked data-search-on-enter (the customer picker) searches on Enter instead
  // of submitting its form (the complaint would be logged half-typed).
  document.querySelectorAll("input[data-search-on-enter]").forEach((input) => {
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (window.htmx) window.htmx.trigger(input, "search");
    });
  });
  // A <form data-confirm="…"> asks before submitting (deactivate, retire, cancel).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
