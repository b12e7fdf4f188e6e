// The leaflet's Print button: a listener here because the Content-Security-Policy forbids
// inline handlers such as onclick.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
