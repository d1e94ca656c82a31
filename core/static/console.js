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
  // Plain forms marked data-once (a confirmation panel's, the console's irreversible forms): a second
  // submit while the first is on its way is dropped. A form answered with a download leaves the page
  // as it was, so the guard lifts after a while.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-once") || e.defaultPrevented) return;
    if (form.dataset.sent === "1") { e.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { form.dataset.sent = ""; }, 8000);
  });
})();
