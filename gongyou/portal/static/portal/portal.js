/* Stations near me: the "Use my location" button (shown only when the browser can locate).
   It fills the hidden lat/lng inputs and submits the form; without JavaScript or without
   permission the district search still works. */
(function () {
  "use strict";
  var form = document.getElementById("locate");
  var button = document.getElementById("use-location");
  if (!form || !button || !("geolocation" in navigator)) { return; }
  var status = document.getElementById("locate-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = form.dataset.locating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lat").value = pos.coords.latitude.toFixed(5);
      document.getElementById("lng").value = pos.coords.longitude.toFixed(5);
      form.submit();
    }, function () {
      status.textContent = form.dataset.denied;
      button.disabled = false;
      var q = document.getElementById("q");
      if (q) { q.focus(); }
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
})();
