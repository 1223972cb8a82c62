// Asks before what cannot be taken back with one tap (deleting a connection, stopping an account,
// closing a stall): a form with data-confirm submits only after "OK". Without scripts the server's
// own rules still hold (an account change waits for a second board member).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
