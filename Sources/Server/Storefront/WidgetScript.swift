/// `GET /widget.js`: the storefront snippet. A shop adds one element and one script tag:
///
///     <div data-hybridrank-widget="product" data-product-id="P000002" data-limit="8"
///          data-api-key="hr_…(an ingest key)" data-product-url="/products/{id}"></div>
///     <script src="https://recs.example.com/widget.js" defer></script>
///
/// and the script renders each such element into a strip of recommendations, then reports
/// `recommendation_impression` events (one per item shown, once the strip is at least half on
/// screen, through `IntersectionObserver`) and a `recommendation_click` when an item is followed,
/// each carrying the response's `request_id`, so the experiment tables attribute them to the
/// response and its variant. Impressions never enter the shopper's history (`InteractionType`).
///
/// Why a hand-written script and not a bundle: no dependency, no build step, about 7 KB, and
/// every DOM write goes through `textContent` and `setAttribute` (product names are shop data,
/// never parsed as HTML). Attributes (all optional but the widget):
/// - `data-hybridrank-widget`: `homepage`, `product`, `cart`, `frequently-bought-together`, `trending`;
/// - `data-product-id` (product and frequently-bought-together), `data-user-id` (otherwise an
///   anonymous id kept in `localStorage`, so a visitor's events and pages agree), `data-limit`
///   (1–100, default 8), `data-category` (homepage, trending);
/// - `data-api-base` (default: where `widget.js` came from), `data-api-key` (a `read` or `ingest`
///   key: events need `ingest` once keys exist; SECURITY.md, "Storefront snippet"),
///   `data-product-url` (link template, `{id}` replaced; default `#{id}`), `data-title`;
/// - `data-styles="none"` leaves styling to the shop (the strip's classes start with `hybridrank-`).
///
/// The element gets `data-hybridrank-state` (`loading`, `rendered`, `empty`, `error`) and
/// `data-request-id`; `window.HybridRank.render(element)` renders one added later.
enum WidgetScript {
    static let contentType = "text/javascript; charset=utf-8"

    /// Strong validator for `If-None-Match`: the script changes only with a new build.
    static let etag: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, enough to tell two builds apart
        for byte in source.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return "\"w-" + String(hash, radix: 16) + "\""
    }()

    static let source = #"""
        /* HybridRank storefront widget: renders recommendation strips and reports impressions and clicks.
           No dependencies. Docs: README "Storefront snippet"; SECURITY.md "Storefront snippet". */
        (function () {
          'use strict';
          if (window.HybridRank && window.HybridRank.version) { return; }
          var script = document.currentScript;
          var scriptBase = script && script.src ? script.src.replace(/\/widget\.js(?:[?#].*)?$/, '') : '';
          var WIDGETS = {
            homepage: function (d) { return '/v1/recommendations/homepage'; },
            trending: function (d) { return '/v1/recommendations/trending'; },
            cart: function (d) { return '/v1/recommendations/cart'; },
            product: function (d) { return d.productId ? '/v1/recommendations/product/' + encodeURIComponent(d.productId) : null; },
            'frequently-bought-together': function (d) {
              return d.productId ? '/v1/recommendations/frequently-bought-together/' + encodeURIComponent(d.productId) : null;
            }
          };
          var STYLE = '.hybridrank-strip{font:14px/1.4 system-ui,sans-serif;margin:16px 0}' +
            '.hybridrank-title{font-size:16px;font-weight:600;margin:0 0 8px}' +
            '.hybridrank-items{display:flex;gap:12px;overflow-x:auto;list-style:none;margin:0;padding:0}' +
            '.hybridrank-item{flex:0 0 160px;border:1px solid #ddd;border-radius:6px;padding:10px}' +
            '.hybridrank-item a{color:inherit;text-decoration:none;display:block}' +
            '.hybridrank-name{display:block;font-weight:500;min-height:2.8em}' +
            '.hybridrank-category{display:block;color:#666;font-size:12px}' +
            '.hybridrank-price{display:block;margin-top:6px;font-weight:600}';

          function anonymousUser() {
            var key = 'hybridrank_anonymous_id';
            try {
              var id = window.localStorage.getItem(key);
              if (!id) { id = 'anon-' + randomHex(); window.localStorage.setItem(key, id); }
              return id;
            } catch (e) {
              return 'anon-' + randomHex();  // storage blocked: one id per page view
            }
          }

          function randomHex() {
            var bytes = new Uint8Array(12);
            (window.crypto || window.msCrypto).getRandomValues(bytes);
            return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
          }

          function headers(apiKey, json) {
            var h = {};
            if (apiKey) { h['X-API-Key'] = apiKey; }
            if (json) { h['Content-Type'] = 'application/json'; }
            return h;
          }

          function formatPrice(price, currency) {
            if (typeof price !== 'number') { return ''; }
            try {
              return new Intl.NumberFormat(document.documentElement.lang || undefined,
                { style: 'currency', currency: currency || 'USD' }).format(price);
            } catch (e) {
              return price.toFixed(2) + (currency ? ' ' + currency : '');
            }
          }

          function addStyles() {
            if (document.getElementById('hybridrank-styles')) { return; }
            var style = document.createElement('style');
            style.id = 'hybridrank-styles';
            style.textContent = STYLE;
            (document.head || document.documentElement).appendChild(style);
          }

          /* Events go out with fetch keepalive, so a click's report survives the navigation it starts. */
          function sendEvents(base, apiKey, events) {
            return fetch(base + '/v1/events', {
              method: 'POST', mode: 'cors', credentials: 'omit', keepalive: true,
              headers: headers(apiKey, true), body: JSON.stringify(events)
            }).then(function (response) {
              if (response.status !== 202) { console.warn('hybridrank: events answered ' + response.status); }
              return response.status;
            }, function (error) {
              console.warn('hybridrank: events not sent: ' + error);
            });
          }

          function watchImpressions(element, list, answer, report) {
            if (!('IntersectionObserver' in window)) { return; }  /* no way to know it was seen: report nothing */
            var observer = new IntersectionObserver(function (entries) {
              for (var i = 0; i < entries.length; i++) {
                if (entries[i].isIntersecting && entries[i].intersectionRatio >= 0.5) {
                  observer.disconnect();
                  element.setAttribute('data-hybridrank-impression', 'sent');
                  report(answer.items.map(function (item) {
                    return { event: 'recommendation_impression', product_id: item.product_id, request_id: answer.request_id };
                  }));
                  return;
                }
              }
            }, { threshold: [0, 0.5, 1] });
            observer.observe(list);
          }

          function render(element) {
            if (!element || element.getAttribute('data-hybridrank-state')) { return Promise.resolve(); }
            var d = element.dataset;
            var widget = d.hybridrankWidget;
            var pathOf = WIDGETS[widget];
            var path = pathOf ? pathOf(d) : null;
            if (!path) {
              element.setAttribute('data-hybridrank-state', 'error');
              console.warn('hybridrank: ' + (pathOf ? 'data-product-id is required for ' + widget : 'unknown widget ' + widget));
              return Promise.resolve();
            }
            var base = (d.apiBase || scriptBase).replace(/\/+$/, '');
            var apiKey = d.apiKey || '';
            var user = d.userId || anonymousUser();
            var limit = parseInt(d.limit || '8', 10);
            if (!(limit >= 1 && limit <= 100)) { limit = 8; }
            var query = ['limit=' + limit];
            if (widget !== 'trending') { query.push('user_id=' + encodeURIComponent(user)); }
            if (d.category && (widget === 'homepage' || widget === 'trending')) { query.push('category=' + encodeURIComponent(d.category)); }
            var report = function (events) {
              events.forEach(function (e) { e.user_id = user; });
              return sendEvents(base, apiKey, events);
            };
            element.setAttribute('data-hybridrank-state', 'loading');
            return fetch(base + path + '?' + query.join('&'), { mode: 'cors', credentials: 'omit', headers: headers(apiKey, false) })
              .then(function (response) {
                if (!response.ok) { throw new Error('recommendations answered ' + response.status); }
                return response.json();
              })
              .then(function (answer) {
                element.setAttribute('data-request-id', answer.request_id);
                if (!answer.items || answer.items.length === 0) {
                  element.setAttribute('data-hybridrank-state', 'empty');
                  return;
                }
                if (d.styles !== 'none') { addStyles(); }
                var strip = document.createElement('section');
                strip.className = 'hybridrank-strip';
                if (d.title) {
                  var title = document.createElement('h2');
                  title.className = 'hybridrank-title';
                  title.textContent = d.title;
                  strip.appendChild(title);
                }
                var list = document.createElement('ol');
                list.className = 'hybridrank-items';
                var template = d.productUrl || '#{id}';
                answer.items.forEach(function (item) {
                  var li = document.createElement('li');
                  li.className = 'hybridrank-item';
                  li.setAttribute('data-product-id', item.product_id);
                  li.setAttribute('data-position', String(item.position));
                  var link = document.createElement('a');
                  link.setAttribute('href', template.split('{id}').join(encodeURIComponent(item.product_id)));
                  var name = document.createElement('span');
                  name.className = 'hybridrank-name';
                  name.textContent = item.name;
                  var category = document.createElement('span');
                  category.className = 'hybridrank-category';
                  category.textContent = item.category || '';
                  var price = document.createElement('span');
                  price.className = 'hybridrank-price';
                  price.textContent = formatPrice(item.price, item.currency);
                  link.appendChild(name);
                  link.appendChild(category);
                  link.appendChild(price);
                  link.addEventListener('click', function () {
                    report([{ event: 'recommendation_click', product_id: item.product_id, request_id: answer.request_id }]);
                  });
                  li.appendChild(link);
                  list.appendChild(li);
                });
                strip.appendChild(list);
                element.textContent = '';
                element.appendChild(strip);
                element.setAttribute('data-hybridrank-state', 'rendered');
                watchImpressions(element, list, answer, report);
              })
              .catch(function (error) {
                element.setAttribute('data-hybridrank-state', 'error');
                console.warn('hybridrank: ' + error.message);
              });
          }

          function renderAll() {
            var elements = document.querySelectorAll('[data-hybridrank-widget]');
            return Promise.all(Array.prototype.map.call(elements, render));
          }

          window.HybridRank = { version: 1, render: render, renderAll: renderAll };
          if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', renderAll);
          } else {
            renderAll();
          }
        })();

        """#
}
