// The places map: country outlines from world-atlas (no tile server), the project's places as circle markers from
// the #map-places JSON, and on the places pages (data-pick) a click sets the form's latitude and longitude.
(function () {
  "use strict";

  function countriesDraw(map, url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(countries, {
          interactive: false,
          style: { className: "country", weight: 0.6, color: "#a9b4bc", fillColor: "#f7f5ef", fillOpacity: 1 },
        }).addTo(map).bringToBack();
      });
  }

  function popupFor(place) {
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.name;
    popup.appendChild(link);
    popup.appendChild(document.createTextNode(
      " (" + (place.country_code || "?") + "): " + place.mentions + " mention" + (place.mentions === 1 ? "" : "s")
    ));
    return popup;
  }

  function placesDraw(map, places) {
    var markers = places.map(function (place) {
      return L.circleMarker([place.latitude, place.longitude], {
        radius: 5 + 3 * Math.sqrt(place.mentions),
        color: "#8a2d1c",
        weight: 1,
        fillColor: "#d0562f",
        fillOpacity: 0.7,
        className: "place-marker",
      }).bindPopup(popupFor(place)).addTo(map);
    });
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 8 });
    }
  }

  function pickerSet(map) {
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    if (!latitude || !longitude) return;
    var marker = null;
    function show(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 7, color: "#1c4f8a", className: "picked-place" }).addTo(map);
    }
    if (latitude.value && longitude.value) {
      show([Number(latitude.value), Number(longitude.value)]);
      map.setView([Number(latitude.value), Number(longitude.value)], 7);
    }
    map.on("click", function (event) {
      var latlng = event.latlng.wrap();
      latitude.value = latlng.lat.toFixed(5);
      longitude.value = latlng.lng.toFixed(5);
      show(latlng);
    });
  }

  function start() {
    var element = document.getElementById("place-map");
    if (!element || typeof L === "undefined") return;
    var map = L.map(element, { attributionControl: false, worldCopyJump: true, minZoom: 1 }).setView([30, 30], 3);
    var data = document.getElementById("map-places");
    placesDraw(map, data ? JSON.parse(data.textContent) : []);
    if (element.dataset.pick) pickerSet(map);
    countriesDraw(map, element.dataset.countries).then(function () { element.dataset.ready = "1"; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
