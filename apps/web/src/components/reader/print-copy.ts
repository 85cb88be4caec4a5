// The HTML body's copy for printing. The message frame prints only the part of its document that fits
// its box (420 px of a long letter) and the app cannot measure a frame without scripts and without its
// origin, so while the page prints, the sanitized document is copied into a shadow root under the frame
// (the message's styles stay inside it) and removed when printing ends. The copy is the sanitizer's
// output: no scripts, no handlers, remote resources only after "Show images"; the app's own CSP (no
// inline script) applies to it as well.

/** Fills `host`'s shadow root with the sanitized document's styles and body. */
export function fillPrintCopy(host: HTMLElement, sanitizedDocument: string): void {
  const parsed = new DOMParser().parseFromString(sanitizedDocument, 'text/html');
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  // In a shadow root `html` and `body` match nothing: the wrapper stands for the body.
  const body = document.createElement('div');
  body.className = 'body';
  const nodes = [...Array.from(parsed.head.querySelectorAll('style')), ...Array.from(parsed.body.childNodes)];
  body.append(...nodes.map((node) => document.importNode(node, true)));
  for (const style of body.querySelectorAll('style')) {
    style.textContent = (style.textContent ?? '').replace(
      /(^|[\s,}])(?:html|body)(?=[\s,{.#:[])/g,
      '$1.body',
    );
  }
  root.replaceChildren(body);
}

/** Empties the copy (after printing: the message's markup stays only in its frame). */
export function clearPrintCopy(host: HTMLElement): void {
  host.shadowRoot?.replaceChildren();
}
