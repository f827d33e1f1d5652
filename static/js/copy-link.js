// "Copy the link" next to a read-only address. Without JavaScript (or a clipboard) the button
// stays hidden and the address can still be selected and copied by hand.
document.querySelectorAll("button.copy-button").forEach(function (button) {
  var input = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("data-copy") + "-copied");
  if (!input || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      if (status) status.textContent = status.getAttribute("data-copied");
    }, function () {
      input.focus();
      input.select();
    });
  });
});
