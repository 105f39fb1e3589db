// The Enhet list follows the chosen Part: a <select data-follows="id_of_the_party_select">
// shows only the options whose data-organisation is the chosen party (and those without
// one, like the empty choice). A chosen unit of another party is cleared. The server
// checks the pair anyway; without JavaScript every unit is listed.
(function () {
  "use strict";

  function follow(unitSelect) {
    var party = document.getElementById(unitSelect.dataset.follows);
    if (!party) {
      return;
    }
    function apply() {
      var chosen = party.value;
      Array.prototype.forEach.call(unitSelect.options, function (option) {
        var owner = option.dataset.organisation;
        var shown = !owner || !chosen || owner === chosen;
        option.hidden = !shown;
        option.disabled = !shown;
        if (!shown && option.selected) {
          unitSelect.value = "";
        }
      });
    }
    party.addEventListener("change", apply);
    apply();
  }

  document.querySelectorAll("select[data-follows]").forEach(follow);
})();
