/*
 * Nothing hides the focused element (WCAG 2.2 2.4.11). Sticky bars (the save bar of long
 * forms, the score sheet's total) can cover a field that Tab reaches: the browser scrolls
 * only an element that is (nearly) outside the window, not one inside it under a bar or
 * one whose edge is cut off. When the element just focused is covered by something else
 * or cut off by the window's edge, it is scrolled into view; the scroll-padding each page
 * sets for its bars (registry.css, scoring.css) keeps it clear of them.
 */
(function () {
  "use strict";

  // Whether what is drawn at (x, y) is something other than the element (or its parts).
  function coveredAt(element, x, y) {
    if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) {
      return false; // outside the window: the browser scrolls it into view itself
    }
    var top = document.elementFromPoint(x, y);
    return top !== null && !element.contains(top) && !top.contains(element);
  }

  document.addEventListener("focusin", function (event) {
    var element = event.target;
    if (!(element instanceof Element) || element === document.body) {
      return;
    }
    var rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) {
      return;
    }
    var x = rect.left + rect.width / 2;
    var inWindow = rect.bottom > 0 && rect.top < window.innerHeight;
    var cutOff = inWindow && (rect.top < 0 || rect.bottom > window.innerHeight);
    var covered = [rect.top + 1, rect.top + rect.height / 2, rect.bottom - 1].some(function (y) {
      return coveredAt(element, x, y);
    });
    if (cutOff || covered) {
      element.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });
})();
