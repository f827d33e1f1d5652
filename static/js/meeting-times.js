// A new meeting's end time follows its start by the group's usual length, until the worker
// writes an end time of their own. Without JavaScript the end is filled once, from the
// group's usual start, and the worker changes it by hand.
document.querySelectorAll("form[data-usual-minutes]").forEach(function (form) {
  var minutes = parseInt(form.getAttribute("data-usual-minutes"), 10);
  var starts = form.querySelector("input[name=starts]");
  var ends = form.querySelector("input[name=ends]");
  if (!starts || !ends || !minutes) return;
  var own = false;
  ends.addEventListener("input", function () { own = true; });
  starts.addEventListener("input", function () {
    var parts = starts.value.split(":");
    if (own || parts.length < 2) return;
    var total = parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10) + minutes;
    if (isNaN(total) || total >= 24 * 60) return;  // past midnight: left to the worker
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    ends.value = pad(Math.floor(total / 60)) + ":" + pad(total % 60);
  });
});
