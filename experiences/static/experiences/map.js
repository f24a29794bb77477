/* The interactive maps of the experiences (Leaflet 1.9, vendored; no tile server).
 *
 * Every element with [data-map] becomes a map. Its data attributes say what to draw:
 *   data-basemap  URL of the country outlines (GeoJSON, a static file, cached for long)
 *   data-geojson  URL of the cities and partnerships (GET /api/map/experiences.geojson): clustered
 *                 markers, a popup per city with its reports;
 *   or a list of places in the element named by data-places (li[data-lat][data-lon]): a report's
 *                 or a city's own map, its main city with a real marker.
 * Texts come from data-text-* attributes (the page's language). No inline script or style:
 * the page's Content-Security-Policy allows neither.
 * Keyboard: the map is one tab stop (Leaflet's arrows pan, + and - zoom); the markers are not,
 * the table after the map lists every city with its link.
 */
(function () {
  "use strict";
  if (!window.L) return;
  var L = window.L;
  // Markers are reached through the table, not one tab stop each.
  L.Marker.prototype.options.keyboard = false;

  function text(host, name, count) {
    var value = host.getAttribute("data-text-" + name) || "";
    if (count === undefined) return value;
    var forms = value.split("|");
    // French counts 0 and 1 in the singular, English only 1.
    var french = (document.documentElement.lang || "").indexOf("fr") === 0;
    var form = count === 1 || (count === 0 && french) ? forms[0] : forms[forms.length - 1];
    return form.replace("{n}", String(count));
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function link(href, label) {
    var a = el("a", "", label);
    a.href = href;
    return a;
  }

  function newMap(host) {
    var hidden = host.closest("[hidden]");
    if (hidden) hidden.removeAttribute("hidden");
    var fallback = host.querySelector(".map-nojs");
    if (fallback) fallback.remove();
    var map = L.map(host, {
      attributionControl: false, // the figure's caption credits Natural Earth and Leaflet
      minZoom: 1,
      maxZoom: 12,
      worldCopyJump: false,
      zoomSnap: 0.5,
      // A popup appears at once: while it faded in, its text was briefly too faint to read
      // (and axe-core measured that contrast); people who ask for less motion get none.
      fadeAnimation: false,
    });
    // Only the map itself is a tab stop; its zoom buttons stay for pointers (+ and - do the same).
    host.querySelectorAll(".leaflet-control-zoom a").forEach(function (button) {
      button.setAttribute("tabindex", "-1");
      button.setAttribute("aria-hidden", "true");
    });
    map.setView([25, 10], 2);
    var basemap = host.getAttribute("data-basemap");
    if (basemap) {
      fetch(basemap)
        .then(function (response) { return response.json(); })
        .then(function (countries) {
          L.geoJSON(countries, {
            interactive: false,
            style: { className: "map-country", color: "#b7c0b0", weight: 0.6, fillColor: "#dfe5da", fillOpacity: 1 },
          }).addTo(map).bringToBack();
        })
        .catch(function () { host.classList.add("map-no-basemap"); });
    }
    return map;
  }

  function linkLayer(coordinates, northSouth) {
    return L.polyline(coordinates, {
      interactive: false,
      className: northSouth ? "map-line map-line-ns" : "map-line",
      color: northSouth ? "#0f7b6c" : "#4f5d6b",
      weight: northSouth ? 2.5 : 1.2,
      opacity: northSouth ? 0.85 : 0.6,
      dashArray: northSouth ? null : "4 4",
    });
  }

  function cityIcon(props) {
    return L.divIcon({
      className: "map-city map-city-" + props.region,
      html: "<span>" + Number(props.count) + "</span>",
      iconSize: [28, 28],
    });
  }

  function popupFor(host, props, statuses) {
    var box = el("div", "map-popup");
    var title = el("h3");
    title.appendChild(link(props.url, props.name));
    box.appendChild(title);
    box.appendChild(el("p", "meta", (props.country_name || props.country) + " · " + text(host, props.region) + " · " + text(host, "reports", props.count)));
    var list = el("ul");
    props.reports.forEach(function (report) {
      var item = el("li");
      item.appendChild(link(report.url, report.title));
      if (report.status && statuses[report.status]) item.appendChild(el("span", "meta", " — " + statuses[report.status]));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (props.count > props.reports.length) {
      var more = el("p");
      more.appendChild(link(props.url, text(host, "all-reports", props.count)));
      box.appendChild(more);
    }
    return box;
  }

  function networkMap(host) {
    var map = newMap(host);
    var status = document.getElementById(host.getAttribute("data-status"));
    fetch(host.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (collection) {
        var statuses = collection.statuses || {};
        var links = L.featureGroup();
        var clusters = L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 45,
          spiderfyDistanceMultiplier: 1.6,
          iconCreateFunction: function (cluster) {
            var reports = 0;
            cluster.getAllChildMarkers().forEach(function (marker) { reports += marker.options.reports; });
            var size = reports < 10 ? "small" : reports < 100 ? "medium" : "large";
            return L.divIcon({
              html: "<span>" + reports + "</span>",
              className: "marker-cluster marker-cluster-" + size,
              iconSize: [40, 40],
            });
          },
        });
        var bounds = [];
        collection.features.forEach(function (feature) {
          var props = feature.properties;
          var c = feature.geometry.coordinates;
          if (props.kind === "city") {
            var marker = L.marker([c[1], c[0]], { icon: cityIcon(props), reports: props.count, title: props.name });
            marker.bindPopup(function () { return popupFor(host, props, statuses); }, {
              // Panned clear of the zoom buttons (34 px wide, 10 px from the edge): on a phone
              // a city near the left edge had its popup's title under them. The width leaves
              // room for that margin, the popup's own 44 px and the right-hand padding.
              maxWidth: Math.min(300, host.clientWidth - 120),
              autoPanPaddingTopLeft: [56, 12],
              autoPanPaddingBottomRight: [12, 12],
            });
            marker.bindTooltip(props.name, { permanent: true, direction: "right", offset: [14, 0], className: "map-label" });
            clusters.addLayer(marker);
            bounds.push([c[1], c[0]]);
          } else if (props.kind === "link") {
            links.addLayer(linkLayer([[c[0][1], c[0][0]], [c[1][1], c[1][0]]], props.north_south));
          }
        });
        // The partnerships (partnerships app): a line through their cities; the table
        // "Partnerships on the map" below lists them for those who cannot see the lines.
        (collection.partnerships || []).forEach(function (partnership) {
          var points = (partnership.coordinates || []).map(function (c) { return [c[1], c[0]]; });
          if (points.length < 2) return;
          links.addLayer(linkLayer(points, partnership.region_pair === "north-south"));
        });
        // The view is set before the clusters are drawn, and without animation: drawn first,
        // they were taken down and redrawn at the end of the zoom, and "ready" came with none shown.
        if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 5, animate: false });
        links.addTo(map);
        clusters.addTo(map);
        host.setAttribute("data-ready", String(bounds.length));
        if (status) status.textContent = text(host, "loaded", bounds.length);
      })
      .catch(function () {
        host.setAttribute("data-ready", "error");
        if (status) status.textContent = text(host, "failed");
      });
    labelsByZoom(map, host);
    // Leaflet names its popup's close button in English only.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", text(host, "close"));
    });
  }

  // City names show once the map is zoomed in enough for them not to pile up.
  function labelsByZoom(map, host) {
    function update() { host.classList.toggle("map-labels-hidden", map.getZoom() < 4); }
    map.on("zoomend", update);
    update();
  }

  function placesMap(host) {
    var list = document.getElementById(host.getAttribute("data-places"));
    if (!list) return;
    var map = newMap(host);
    var points = {};
    var bounds = [];
    list.querySelectorAll("li[data-lat]").forEach(function (item) {
      var at = [parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lon"))];
      var name = item.textContent.trim();
      points[item.getAttribute("data-slug")] = at;
      bounds.push(at);
      var marker;
      if (item.hasAttribute("data-main")) {
        // The report's own city: Leaflet's real marker, in front of everything.
        marker = L.marker(at, { title: name, alt: name, zIndexOffset: 1000 });
      } else {
        marker = L.marker(at, { icon: L.divIcon({ className: "map-city map-city-small map-city-" + item.getAttribute("data-region"), iconSize: [24, 24] }), title: name });
      }
      marker.bindTooltip(name, { permanent: true, direction: "auto", offset: item.hasAttribute("data-main") ? [0, -20] : [0, 0], className: "map-label" });
      marker.addTo(map);
    });
    list.querySelectorAll("li[data-from]").forEach(function (item) {
      var from = points[item.getAttribute("data-from")];
      var to = points[item.getAttribute("data-to")];
      if (from && to) linkLayer([from, to], item.hasAttribute("data-ns")).addTo(map);
    });
    if (bounds.length === 1) map.setView(bounds[0], 4);
    else if (bounds.length) map.fitBounds(bounds, { padding: [50, 50], maxZoom: 5, animate: false });
    host.setAttribute("data-ready", String(bounds.length));
  }

  document.querySelectorAll("[data-map]").forEach(function (host) {
    if (host.getAttribute("data-map") === "network") networkMap(host);
    else placesMap(host);
  });

  // A filter left on "Any" stays out of the address the form leads to ("?region=south", not
  // "?q=&region=south&theme=&…"): shorter to share, and the address the chips' links use.
  document.querySelectorAll("form.map-filters").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (String(value).trim()) params.append(name, value);
      });
      event.preventDefault();
      var query = params.toString();
      window.location.assign(form.action.split("?")[0] + (query ? "?" + query : ""));
    });
  });
})();
