// Clicking an area of a body-chart figure fills the mark form; the form alone works without it.
document.addEventListener("click", (event) => {
  const shape = event.target.closest("[data-area]");
  const form = document.getElementById("mark-form");
  if (!shape || !form) return;
  form.querySelector("[name='mark-area']").value = shape.dataset.area;
  form.querySelector("[name='mark-view']").value = shape.dataset.view;
  form.querySelector("[name='mark-side']").value = shape.dataset.side;
  form.querySelector("[name='mark-symptom']").focus();
});
