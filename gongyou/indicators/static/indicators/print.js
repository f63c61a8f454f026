// Print buttons (no inline script: the page's content security policy forbids it).
document.addEventListener("click", (event) => {
  if (event.target.closest(".js-print")) {
    window.print();
  }
});
