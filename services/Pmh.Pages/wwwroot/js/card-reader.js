// The card reader seam of the hub's pages: cardReader.sign(challenge) resolves to
//   { certificate: <base64 DER of the card's authentication certificate>, signature: <base64 RSASSA-PKCS1-v1_5 SHA-256 over the nonce> }
// where challenge is { challengeId, nonce (base64), expiresAt } as the hub issues it.
// Production plugs a reader bridge by defining window.cardReader before this file runs; in Development, without
// one, a simulated reader signs with a demo card's key through WebCrypto (the keys are served only in Development).
(function () {
  "use strict";

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary);
  }

  function simulatedReader(panel) {
    var select = panel.querySelector("select");
    var cards = {};
    var loaded = fetch(panel.getAttribute("data-cards"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error("no demo cards"); } return response.json(); })
      .then(function (list) {
        list.forEach(function (card) {
          cards[card.name] = card;
          var option = document.createElement("option");
          option.value = card.name;
          option.textContent = card.name;
          select.appendChild(option);
        });
      });
    return {
      simulated: true,
      sign: function (challenge) {
        return loaded.then(function () {
          var card = cards[select.value];
          if (!card) { throw new Error("no card selected"); }
          var algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
          return crypto.subtle.importKey("pkcs8", fromBase64(card.privateKey), algorithm, false, ["sign"])
            .then(function (key) { return crypto.subtle.sign(algorithm, key, fromBase64(challenge.nonce)); })
            .then(function (signature) { return { certificate: card.certificate, signature: toBase64(signature) }; });
        });
      }
    };
  }

  if (window.cardReader) { return; }
  var panel = document.getElementById("simulated-reader");
  if (panel && window.crypto && crypto.subtle) {
    window.cardReader = simulatedReader(panel);
  }
})();
