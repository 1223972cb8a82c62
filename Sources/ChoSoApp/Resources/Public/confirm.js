// Asks before what cannot be taken back with one tap (deleting a connection, stopping an account,
// closing a stall): a form with data-confirm submits only after "OK". Without scripts the server's
// own rules still hold (an account change waits for a second board member).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// "In" (print) buttons: a data attribute, as the pages allow no inline script (Content-Security-Policy).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) window.print();
});
