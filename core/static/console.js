// What every page's script shares: loaded by core/base.html before a console page's own script, and
// by the owners' ballot page (which has no session, so no CSRF token).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var pending = false;
  window.wuye = {
    // The CSRF token of this session, for the X-CSRF-Token header of a fetch.
    csrf: meta ? meta.content : "",
    // One request at a time: a second click while the first is on its way does nothing (publishing,
    // sealing and revoking cannot be undone; a second print, upload or meeting would only confuse).
    once: function (handler) {
      return async function (e) {
        if (e && e.type === "submit") e.preventDefault();
        if (pending) return;
        pending = true;
        try { await handler.call(this, e); } finally { pending = false; }
      };
    }
  };
})();
