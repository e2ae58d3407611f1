/*
 * The navbar's bell: once the page has loaded, and every two minutes while the page is
 * visible, ask the server for the bell with its unread count and put it in place.
 * Without JavaScript the bell is a plain link to the notification list.
 * The count comes after the page so that rendering a page never costs a query for it.
 */
(function () {
  "use strict";

  var INTERVAL = 120000;
  var slot = document.querySelector("[data-notification-bell]");
  if (!slot || !window.fetch) {
    return;
  }
  var url = slot.getAttribute("data-notification-bell");

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        // 204: signed out meanwhile; anything but 200: keep the bell as it is.
        return response.status === 200 ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var hadFocus = slot.contains(document.activeElement);
        slot.innerHTML = html;
        if (hadFocus) {
          var bell = slot.querySelector("a");
          if (bell) {
            bell.focus();
          }
        }
      })
      .catch(function () {
        // Offline or a slow network: try again at the next interval.
      });
  }

  refresh();
  window.setInterval(function () {
    if (document.visibilityState === "visible") {
      refresh();
    }
  }, INTERVAL);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      refresh();
    }
  });
})();
