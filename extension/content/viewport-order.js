// The order in which to look at a long list of elements given in page order (top to bottom): the
// ones on screen first, then outward, one below and one above in turn. A chat opens at its end, a
// long page at its top; either way the blocks the reader sees, then those they reach next, come
// first. Four binary searches read a few dozen boxes, not a thousand.

const SHORT = 32; // a list this short is done in one slice anyway: page order, no layout read
export const NEAR_SCREENS = 0.5; // "near the viewport": within half a screen above or below it

/** The elements of `list` (an array or NodeList in page order), those on screen first.
 *  While an element is out, `where.onScreen` says whether it is on screen and `where.near`
 *  whether it is on screen or near it (NEAR_SCREENS); both null in a short list, whose boxes are
 *  not read (each may be). */
export function* outwardFromViewport(list, where = {}) {
  const count = list.length;
  where.onScreen = where.near = null;
  if (count <= SHORT) {
    yield* list;
    return;
  }
  const height = list[0].ownerDocument.defaultView.innerHeight;
  const margin = height * NEAR_SCREENS;
  // Boxes of hidden elements (all zero) may put a search off by a little, which only changes
  // what comes first.
  const top = firstBox(list, (box) => box.bottom > 0);
  const bottom = Math.max(top, firstBox(list, (box) => box.top >= height));
  const nearTop = Math.min(top, firstBox(list, (box) => box.bottom > -margin));
  const nearBottom = Math.max(bottom, firstBox(list, (box) => box.top >= height + margin));
  where.onScreen = where.near = true;
  for (let i = top; i < bottom; i++) yield list[i];
  where.onScreen = false;
  for (let below = bottom, above = top - 1; below < count || above >= 0; below++, above--) {
    where.near = below < nearBottom;
    if (below < count) yield list[below];
    where.near = above >= nearTop;
    if (above >= 0) yield list[above];
  }
}

/** Whether `box` is on screen (a window `height` tall), or with `margin` within that far of it. */
export function inView(box, height, margin = 0) {
  return box.bottom > -margin && box.top < height + margin;
}

/** The index of the first element of `list` (in page order) whose box passes `test`, a test
 *  that once true stays true further down the page (list.length when none does): a binary
 *  search, so a dozen boxes are read, not a thousand. */
export function firstBox(list, test) {
  let [low, high] = [0, list.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (test(list[middle].getBoundingClientRect())) high = middle;
    else low = middle + 1;
  }
  return low;
}
