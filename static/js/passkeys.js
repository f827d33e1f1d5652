// Passkeys (WebAuthn): adding one ([data-passkey-register]) and signing in with one
// ([data-passkey-sign-in]). Both ask the server for options (a one-time challenge), let the
// browser talk to the phone or computer, and post its answer back as base64url JSON with the
// CSRF token in a header. Without JavaScript, or in a browser without passkeys, the buttons
// stay hidden and every other way of signing in works as before.
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (ch) { return ch.charCodeAt(0); });
  }

  function toText(buffer) {
    var binary = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body || {}),
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (one) {
      return {type: one.type, id: toBytes(one.id), transports: one.transports};
    });
  }

  function answer(credential) {
    var r = credential.response, sent = {};
    ["clientDataJSON", "attestationObject", "authenticatorData", "signature", "userHandle"]
      .forEach(function (name) { if (r[name]) sent[name] = toText(r[name]); });
    if (r.getTransports) sent.transports = r.getTransports();
    return {id: credential.id, rawId: toText(credential.rawId), type: credential.type,
            response: sent, clientExtensionResults: credential.getClientExtensionResults()};
  }

  function run(status, button, work) {
    button.disabled = true;
    status.textContent = "";
    work().then(function (data) { window.location.assign(data.redirect); })
      .catch(function (error) {
        // A cancelled prompt is a DOMException; the server's refusals carry their own words.
        status.textContent = error.name === "Error" ? error.message : status.dataset.cancelled;
        button.disabled = false;
      });
  }

  document.querySelectorAll("[data-passkey-sign-in]").forEach(function (box) {
    var button = box.querySelector("button"), status = box.querySelector(".passkey-status");
    var csrf = box.dataset.csrf, remember = document.getElementById("remember");
    button.hidden = false;
    button.addEventListener("click", function () {
      run(status, button, function () {
        return post(box.dataset.optionsUrl, csrf).then(function (options) {
          options.challenge = toBytes(options.challenge);
          options.allowCredentials = descriptors(options.allowCredentials);
          return navigator.credentials.get({publicKey: options});
        }).then(function (credential) {
          return post(box.dataset.url, csrf, {credential: answer(credential),
            remember: !!(remember && remember.checked), next: box.dataset.next});
        });
      });
    });
  });

  document.querySelectorAll("form[data-passkey-register]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector(".passkey-status");
    var csrf = form.querySelector("input[name=csrf_token]").value;
    button.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(status, button, function () {
        return post(form.dataset.optionsUrl, csrf).then(function (options) {
          options.challenge = toBytes(options.challenge);
          options.user.id = toBytes(options.user.id);
          options.excludeCredentials = descriptors(options.excludeCredentials);
          return navigator.credentials.create({publicKey: options});
        }).then(function (credential) {
          return post(form.action, csrf, {credential: answer(credential),
            name: form.elements.namedItem("name").value, next: form.dataset.next});
        });
      });
    });
  });
})();
