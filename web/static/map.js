// vigil map pages: the incidents map (#map) and the incident's own place
// (#incident-map). Needs Leaflet (static/vendor, installed by scripts/setup);
// without it the page says so and lists the incidents in plain text.
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status + ' for ' + url);
      return r.json();
    });
  }

  // Marker size grows with the killed (minimum), by area.
  function radius(killed) {
    return Math.min(28, 4 + Math.sqrt(Math.max(0, killed)) * 2.2);
  }

  // Style by precision: solid for a town or finer, dashed for a district,
  // hollow for a governorate or coarser (the point is only indicative).
  function styleFor(precision) {
    switch (precision) {
      case 'exact': case 'street': case 'neighbourhood': case 'town':
        return { color: '#8a2b1d', weight: 1, fillColor: '#c0392b', fillOpacity: 0.7 };
      case 'district':
        return { color: '#8a2b1d', weight: 2, dashArray: '4 3', fillColor: '#e67e22', fillOpacity: 0.35 };
      default:
        return { color: '#8a2b1d', weight: 2, dashArray: '2 4', fillOpacity: 0 };
    }
  }

  function baseLayer(map, url) {
    return getJSON(url).then(function (gj) {
      var layer = L.geoJSON(gj, {
        interactive: false,
        style: function (f) {
          var country = f.properties && f.properties.level === 0;
          return { color: country ? '#555' : '#888', weight: country ? 2 : 1, dashArray: country ? null : '3 3', fill: country, fillColor: '#f4f1ea', fillOpacity: 0.8 };
        }
      }).addTo(map);
      layer.bringToBack();
      return layer;
    }).catch(function () { return null; });
  }

  function popup(p) {
    var div = document.createElement('div');
    div.className = 'vigil-popup';
    var a = document.createElement('a');
    a.href = '/incidents/' + p.id;
    a.textContent = p.title || ('#' + p.id);
    div.appendChild(a);
    var meta = document.createElement('div');
    var killed = p.killed_max === null || p.killed_max === undefined ? p.killed_min + '+' : (p.killed_max === p.killed_min ? String(p.killed_min) : p.killed_min + '–' + p.killed_max);
    meta.textContent = p.date + ' · ' + p.place + ' (' + p.precision + ') · killed ' + killed;
    div.appendChild(meta);
    return div;
  }

  function fallbackList(el, url) {
    getJSON(url).then(function (gj) {
      var ul = document.createElement('ul');
      gj.features.slice(0, 500).forEach(function (f) {
        var li = document.createElement('li');
        li.appendChild(popup(f.properties));
        ul.appendChild(li);
      });
      el.replaceWith(ul);
    });
  }

  function bigMap(el) {
    if (!window.L) { fallbackList(el, el.dataset.points); return; }
    el.setAttribute('dir', 'ltr');
    var map = L.map(el, { preferCanvas: false, minZoom: 5, maxZoom: 17 }).setView([35.0, 38.5], 7);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 17 }).addTo(map);
    }
    baseLayer(map, el.dataset.boundaries);
    var group = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 }) : L.featureGroup();
    getJSON(el.dataset.points).then(function (gj) {
      var markers = gj.features.map(function (f) {
        var p = f.properties;
        var m = L.circleMarker([p.lat, p.lon], Object.assign({ radius: radius(p.killed_min), className: 'vigil-marker precision-' + p.precision }, styleFor(p.precision)));
        m.bindPopup(function () { return popup(p); });
        return m;
      });
      if (group.addLayers) group.addLayers(markers); else markers.forEach(function (m) { group.addLayer(m); });
      group.addTo(map);
      if (markers.length) map.fitBounds(group.getBounds(), { maxZoom: 10, padding: [20, 20] });
      el.dataset.markers = String(markers.length);
      var status = document.getElementById('map-status');
      if (status) {
        status.textContent = (el.dataset.labelTotal || '%d').replace('%d', gj.total) +
          (gj.truncated ? ' · ' + (el.dataset.labelShown || '%d').replace('%d', markers.length) : '');
      }
    }).catch(function (err) {
      el.dataset.error = String(err);
    });
  }

  function miniMap(el) {
    if (!window.L) return;
    el.setAttribute('dir', 'ltr');
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var precision = el.dataset.precision;
    var zoom = { exact: 15, street: 15, neighbourhood: 14, town: 12, district: 10, governorate: 8 }[precision] || 7;
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], zoom);
    baseLayer(map, el.dataset.boundaries);
    // The circle shows how far the place may be from the point.
    var metres = { exact: 50, street: 200, neighbourhood: 800, town: 3000, district: 15000, governorate: 50000 }[precision] || 100000;
    L.circle([lat, lon], Object.assign({ radius: metres }, styleFor(precision))).addTo(map);
    L.circleMarker([lat, lon], { radius: 5, color: '#8a2b1d', fillOpacity: 1 }).addTo(map);
    el.dataset.markers = '1';
  }

  ready(function () {
    var big = document.getElementById('map');
    if (big) bigMap(big);
    var mini = document.getElementById('incident-map');
    if (mini) miniMap(mini);
  });
})();
