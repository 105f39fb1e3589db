/* The clock on "Genomför mötet": minutes left of the booked length, then minutes over.
 *
 * <div id="meeting-clock" data-starts-at="…Z" data-ends-at="…Z"
 *      data-text-left="{n} min kvar" data-text-over="{n} min över tiden">
 *   <span data-clock-display>…</span>            visible, not a live region
 *   <span aria-live="polite" data-clock-announce>  read out every 5 minutes only
 * Before the start the whole booked length is left. No dependencies.
 */
(function () {
  "use strict";

  var ANNOUNCE_EVERY_MINUTES = 5;
  var clock = document.getElementById("meeting-clock");
  if (!clock) {
    return;
  }
  var startsAt = Date.parse(clock.dataset.startsAt);
  var endsAt = Date.parse(clock.dataset.endsAt);
  var display = clock.querySelector("[data-clock-display]");
  var announcer = clock.querySelector("[data-clock-announce]");
  if (isNaN(endsAt) || !display) {
    return;
  }
  var textLeft = clock.dataset.textLeft || "{n} min kvar";
  var textOver = clock.dataset.textOver || "{n} min över tiden";
  var shown = null;
  var announced = null;

  function state(now) {
    var from = isNaN(startsAt) ? now : Math.max(now, startsAt);
    var ms = endsAt - from;
    if (ms >= 0) {
      return { minutes: Math.ceil(ms / 60000), over: false };
    }
    return { minutes: Math.ceil(-ms / 60000), over: true };
  }

  function tick(first) {
    var s = state(Date.now());
    var text = (s.over ? textOver : textLeft).replace("{n}", String(s.minutes));
    if (text === shown) {
      return;
    }
    shown = text;
    display.textContent = text;
    clock.classList.toggle("run-clock-over", s.over);
    clock.classList.toggle("run-clock-soon", !s.over && s.minutes <= 5);
    // Screen readers hear the clock when it reaches a whole five minutes, never each tick;
    // not on page load either (the visible text is there to be read).
    if (announcer && !first && s.minutes % ANNOUNCE_EVERY_MINUTES === 0 && text !== announced) {
      announced = text;
      announcer.textContent = text;
    }
  }

  tick(true);
  window.setInterval(function () {
    tick(false);
  }, 1000);
})();
