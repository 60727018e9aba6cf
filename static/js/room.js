// A room's projector or stage view (/room/<room>/screen, /stage): frames the page of the room's
// event of the moment and asks the server every few seconds which event that is, so the screen
// moves to the next session by itself when its moderator starts (web/rooms.py).
import {fullscreenDisplay} from "./dom.js";

const frame = document.getElementById("room-frame");
const empty = document.getElementById("room-empty");
const {nowUrl, pollMs} = document.body.dataset;

function show(now) {
  if (!now.url) {
    frame.hidden = true;
    frame.removeAttribute("src");
    delete frame.dataset.event;
    empty.hidden = false;
    return;
  }
  if (frame.dataset.event !== now.event) {
    frame.dataset.event = now.event;
    frame.title = now.title;
    frame.src = now.url;
  }
  frame.hidden = false;
  empty.hidden = true;
}

async function ask() {
  try {
    const response = await fetch(nowUrl, {credentials: "same-origin", cache: "no-store"});
    if (response.ok) show(await response.json());
  } catch {
    // The network dropped: keep showing what is on screen, ask again next time.
  }
  window.setTimeout(ask, Number(pollMs) || 3000);
}

window.setTimeout(ask, Number(pollMs) || 3000);
// Full screen on a double click or F, and the pointer hidden, as on an event's own projector
// page (the framed page takes no clicks or keys: the room's page is the one full screen, so it
// stays full screen when the next event's page replaces the last).
fullscreenDisplay(document.body);
