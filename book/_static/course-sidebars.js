/* The two sidebar buttons work at every width (issue 12).
 *
 * pydata-sphinx-theme 0.17.1 and sphinx-book-theme 1.3.0 both attach their click handlers to
 * document.querySelector(".primary-toggle") and (".secondary-toggle"): the *first* button of
 * each kind on the page.  That is pydata's button in the top navbar, which the book theme
 * hides; the buttons a reader sees, in the article header, get no handler at all, so tapping
 * them does nothing (pydata-sphinx-theme issue 2451, sphinx-book-theme issue 988).
 *
 * The fix hands a click on any other toggle button to that first one, which carries both
 * themes' handlers: on a wide screen the book theme's folds the primary sidebar away and back,
 * on a narrow one pydata's opens the sidebar as a dialog (closed by a tap beside it or Escape).
 * The listener sits on the document in the capture phase, so it runs before anything bound to
 * the visible button itself: if a later theme release binds every button, a click still
 * reaches the themes' code exactly once.
 */
(function () {
  "use strict";

  function forwardClicksToTheBoundButton(selector) {
    document.addEventListener("click", function (event) {
      var clicked = event.target.closest ? event.target.closest(selector) : null;
      var bound = document.querySelector(selector);
      if (!clicked || !bound || clicked === bound) {
        return;                                   // not a toggle, or the themes' own target
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      bound.click();
      if (!document.querySelector("dialog[open]")) {
        clicked.blur();        // no dialog took the focus: drop it so the tooltip goes away
      }
    }, true);
  }

  forwardClicksToTheBoundButton(".primary-toggle");
  forwardClicksToTheBoundButton(".secondary-toggle");
})();
