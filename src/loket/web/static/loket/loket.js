// Progressive enhancement only: every form works without this file.
// Selects marked data-autosubmit submit their form on change; their button then hides.
document.documentElement.classList.add("js");
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});
