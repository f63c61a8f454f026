/* "Use my location": fill the latitude and longitude inputs from the browser, then search. */
(function () {
  "use strict";

  function setUp() {
    var button = document.querySelector("[data-geolocate]");
    if (!button || !("geolocation" in navigator)) { return; }
    var form = button.form;
    var status = form.querySelector("[data-geolocate-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) { status.textContent = button.dataset.waiting || "…"; }
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lng.value = position.coords.longitude.toFixed(5);
        if (status) { status.textContent = ""; }
        form.requestSubmit();
      }, function (error) {
        if (status) { status.textContent = button.dataset.failed || error.message; }
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
