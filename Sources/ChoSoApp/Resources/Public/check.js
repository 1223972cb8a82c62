// Reads the QR with the phone's camera where the browser can: a BarcodeDetector that knows QR
// codes (desktop Chromium on Linux has the class but no formats) and a camera (secure pages only).
// Typing or pasting always works.
(function () {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var button = document.getElementById("scan"), video = document.getElementById("camera");
  var field = document.getElementById("payload"), form = document.getElementById("check");
  var formats = BarcodeDetector.getSupportedFormats ? BarcodeDetector.getSupportedFormats() : Promise.resolve([]);
  formats.then(function (known) { if (known.indexOf("qr_code") >= 0) button.hidden = false; }).catch(function () {});
  button.addEventListener("click", function () {
    var detector = new BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            field.value = codes[0].rawValue;
            form.submit();
          } else {
            requestAnimationFrame(look);
          }
        }).catch(function () { requestAnimationFrame(look); });
      };
      look();
    });
  });
})();
