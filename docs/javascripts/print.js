/* "Print or save as PDF" on a case page, and the day a printed case was printed.
   The button is in the page hidden: it shows only where this script runs. */
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  document.querySelectorAll("[data-cb-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  function stamp() {
    var now = new Date();
    document.querySelectorAll(".cb-print-date").forEach(function (span) {
      span.textContent = " \u00b7 printed " + now.getDate() + " " + MONTHS[now.getMonth()] + " " + now.getFullYear();
    });
  }
  stamp();  // a PDF made without the print dialog (a headless browser) carries the day too
  window.addEventListener("beforeprint", stamp);
}());
