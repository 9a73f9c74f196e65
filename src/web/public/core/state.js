/** What the page knows about the signed-in user and the live stream: one object every module shares. */
export const state = { me: null, unread: 0, live: null, onLive: new Set() };
