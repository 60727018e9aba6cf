// What the projector shows, read from the `scene` part (docs/protocol.md): one definition for
// every page that labels something "on the projector" / "on screen".

/**
 * The id of the audience question on the projector, or null. The highlight outlives a scene
 * change (the console keeps it for later), so a highlighted question is on the projector only
 * while the scene is "question".
 */
export function questionOnProjector(state) {
  const scene = state && state.scene;
  return scene && scene.name === "question" && scene.question_id ? scene.question_id : null;
}

/** The id of the poll on the projector, or null. */
export function pollOnProjector(state) {
  const scene = state && state.scene;
  return scene && scene.name === "poll" && scene.poll_id ? scene.poll_id : null;
}
