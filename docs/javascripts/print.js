/* "Print or save as PDF" on a case page, and the day a printed case was printed.
   The button is made here, so it shows only where this script runs. */
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  // A case page (the only page with a .cb-summary): its address for the printed page, from the
  // page's canonical link, and a button to print it.
  document.querySelectorAll(".cb-summary").forEach(function (summary) {
    var bar = document.createElement("div");
    bar.className = "cb-print-bar";
    var address = document.createElement("p");
    address.className = "cb-print-only";
    var canonical = document.querySelector("link[rel=canonical]");
    address.textContent = canonical ? canonical.href : window.location.href;
    var date = document.createElement("span");
    date.className = "cb-print-date";
    address.appendChild(date);
    var action = document.createElement("p");
    action.className = "cb-print-action";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cb-button cb-button--secondary";
    button.setAttribute("data-cb-print-button", "");
    button.textContent = "Print or save as PDF";
    button.addEventListener("click", function () { window.print(); });
    action.appendChild(button);
    bar.append(address, action);
    summary.parentNode.insertBefore(bar, summary);
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
