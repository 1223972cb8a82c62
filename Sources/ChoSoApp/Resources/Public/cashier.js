// The keypad and quick amounts: an aid for thumbs; the form works without it.
(function () {
  var form = document.getElementById("sale");
  if (!form) return;
  var amount = document.getElementById("amount");
  var keys = form.querySelector(".keys"), quick = form.querySelector(".quick");
  // The debt form came back with an error: its name field, not the top of the till, is what the
  // keeper must see (autofocus alone did not always scroll it into view).
  var debt = document.getElementById("debt"), name = document.getElementById("customerName");
  if (debt && debt.open && name && name.getAttribute("aria-invalid") === "true") {
    name.focus();
    name.scrollIntoView({ block: "center" });
  }
  keys.hidden = false;
  quick.hidden = false;
  function digits() { return amount.value.replace(/\D/g, ""); }
  function show(value) {
    amount.value = value ? Number(value).toLocaleString("vi-VN").replace(/,/g, ".") : "";
  }
  keys.addEventListener("click", function (event) {
    var key = event.target.getAttribute("data-key");
    if (!key) return;
    var value = digits();
    value = key === "back" ? value.slice(0, -1) : (value + key).replace(/^0+/, "");
    if (value.length <= 13) show(value);
  });
  quick.addEventListener("click", function (event) {
    var value = event.target.getAttribute("data-amount");
    if (value) show(value);
  });
})();
