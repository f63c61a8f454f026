/* Behaviour every staff page shares, kept out of the HTML so the content security policy can
   forbid inline code ('unsafe-inline'):
   - a <select data-autosubmit> submits its form when changed (the language menu);
   - a button with data-remove-row removes the table row it sits in (rows added by HTMX);
   - Enter in an input with data-enter-event does not submit the surrounding form but fires
     that event on the input instead, so its hx-trigger can search at once. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
      select.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-remove-row]") : null;
    if (!button) { return; }
    var row = button.closest("tr");
    if (row) { row.remove(); }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !(input instanceof HTMLInputElement)) { return; }
    var name = input.getAttribute("data-enter-event");
    if (!name) { return; }
    event.preventDefault();
    input.dispatchEvent(new CustomEvent(name, { bubbles: true }));
  });
})();
