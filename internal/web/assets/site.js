// Vantage: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };

  // "Name, Country" from a description "Name, Region, Country (kind, pop. …)"
  // so the server resolves the chosen place without ambiguity.
  function resolvable(p) {
    var d = String(p.description || '').replace(/\s*\(.*$/, '');
    var parts = d.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    if (parts.length >= 2) { return parts[0] + ', ' + parts[parts.length - 1]; }
    return p.name || d;
  }

  // Place autocomplete from /api/v1/places?q= (a <datalist>, so the browser
  // keeps the keyboard behaviour of a plain text field).
  function autocomplete(input) {
    var list = document.getElementById(input.getAttribute('list'));
    if (!list || !window.fetch) { return; }
    var timer = 0, last = '', ctrl = null;
    input.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === last) { return; }
        last = q;
        if (ctrl) { ctrl.abort(); }
        ctrl = window.AbortController ? new AbortController() : null;
        fetch('/api/v1/places?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, signal: ctrl ? ctrl.signal : undefined })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (d) {
            if (!d || !Array.isArray(d.places)) { return; }
            while (list.firstChild) { list.removeChild(list.firstChild); }
            var seen = {};
            d.places.slice(0, 10).forEach(function (p) {
              var v = resolvable(p);
              if (seen[v]) { return; } // a city and its province of one name
              seen[v] = true;
              var o = document.createElement('option');
              o.value = v;
              o.label = p.description || p.name || '';
              list.appendChild(o);
            });
          })
          .catch(function () { /* no suggestions: the field still works */ });
      }, 180);
    });
  }

  // A city name from the browser's time zone: Europe/Istanbul -> Istanbul.
  function zoneCity() {
    var tz = '';
    try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { return ''; }
    var parts = tz.split('/');
    if (parts.length < 2 || /^(Etc|SystemV|US)$/.test(parts[0])) { return ''; }
    return parts[parts.length - 1].replace(/_/g, ' ');
  }

  function remember(form) {
    var place = form.elements.place.value.trim();
    var topics = Array.prototype.filter.call(form.querySelectorAll('input[name=topics]'), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
    if (!place) { return; }
    store.set('vantage.place', place);
    store.set('vantage.topics', topics.join(','));
    var year = 365 * 24 * 3600;
    document.cookie = 'vantage_place=' + encodeURIComponent(place) + '; Path=/; Max-Age=' + year + '; SameSite=Lax';
    document.cookie = 'vantage_topics=' + encodeURIComponent(topics.join(',')) + '; Path=/; Max-Age=' + year + '; SameSite=Lax';
  }

  function briefForm(form) {
    var input = form.elements.place;
    var source = form.getAttribute('data-source');
    form.addEventListener('submit', function () { remember(form); });
    if (source !== 'none' && source !== 'default') { return; }
    // no place from the URL or a cookie: the last choice kept in this
    // browser, else a guess from the time zone
    var saved = store.get('vantage.place');
    if (saved && !input.value) {
      input.value = saved;
      var topics = (store.get('vantage.topics') || '').split(',');
      form.querySelectorAll('input[name=topics]').forEach(function (c) { c.checked = topics.indexOf(c.value) >= 0; });
      return;
    }
    var city = zoneCity();
    if (city && (!input.value || source === 'default')) {
      input.value = city;
      var hint = document.getElementById('tz-hint');
      if (hint) { hint.textContent = '“' + city + '” is a guess from your time zone.'; hint.hidden = false; }
    }
  }

  // The access token, typed once per session, fills every token field.
  function tokens() {
    var fields = document.querySelectorAll('input.token');
    var saved = null;
    try { saved = window.sessionStorage.getItem('vantage.token'); } catch (e) { /* none */ }
    fields.forEach(function (f) {
      if (saved && !f.value) { f.value = saved; }
      f.addEventListener('change', function () {
        try { window.sessionStorage.setItem('vantage.token', f.value); } catch (e) { /* none */ }
        fields.forEach(function (o) { if (!o.value) { o.value = f.value; } });
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('input[data-autocomplete]').forEach(autocomplete);
    var form = document.getElementById('brief-form');
    if (form) { briefForm(form); }
    tokens();
  });
})();
