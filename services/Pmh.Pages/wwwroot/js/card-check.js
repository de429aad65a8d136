// Proving a card on a page (the desk's check, the citizen's log): on submit, take a challenge from the page
// (data-challenge), let cardReader.sign(challenge) sign it, put the proof in the form's hidden fields and send the
// form as an ordinary post; the server renders the answer.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) { return; }
  var status = document.getElementById("reader-status");
  var sending = false;

  form.addEventListener("submit", function (event) {
    if (sending) { return; }
    event.preventDefault();
    if (!window.cardReader) {
      status.textContent = status.getAttribute("data-no-reader");
      return;
    }
    status.textContent = status.getAttribute("data-reading");
    var body = new FormData();
    body.append("__pmh_token", form.querySelector("input[name='__pmh_token']").value);
    fetch(form.getAttribute("data-challenge"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error("challenge " + response.status); } return response.json(); })
      .then(function (challenge) {
        return window.cardReader.sign(challenge).then(function (proof) {
          form.querySelector("#challengeId").value = challenge.challengeId;
          form.querySelector("#certificate").value = proof.certificate;
          form.querySelector("#signature").value = proof.signature;
          sending = true;
          form.submit();
        });
      })
      .catch(function (error) {
        status.textContent = status.getAttribute("data-no-reader") + " (" + error.message + ")";
      });
  });
})();
