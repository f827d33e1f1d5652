// "Show password" buttons next to password fields (ASVS 2.1.12). Without JavaScript the
// buttons stay hidden and the fields work as usual; nothing else on the site needs scripts.
document.querySelectorAll("button.show-password").forEach(function (button) {
  var input = document.getElementById(button.getAttribute("aria-controls"));
  if (!input) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var showing = input.type === "text";
    input.type = showing ? "password" : "text";
    button.setAttribute("aria-pressed", showing ? "false" : "true");
    input.focus();
  });
});
