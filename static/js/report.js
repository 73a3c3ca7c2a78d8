// The report form's "use my location": fills the hidden latitude/longitude.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var texts = JSON.parse(document.getElementById("location-texts").textContent);
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  function show(position) {
    lat.value = position.coords.latitude.toFixed(6);
    lng.value = position.coords.longitude.toFixed(6);
    status.textContent = texts.found.replace("%s", lat.value + ", " + lng.value);
  }
  if (lat.value && lng.value) {
    status.textContent = texts.found.replace("%s", lat.value + ", " + lng.value);
  }
  button.addEventListener("click", function () {
    status.textContent = texts.finding;
    navigator.geolocation.getCurrentPosition(show, function () {
      status.textContent = texts.failed;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
