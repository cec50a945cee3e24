/**
 * In-page checks for test/e2e/layout.test.ts: run inside Chromium through page.evaluate, so they may use only
 * what the page has (no imports, no closures over Node values).
 */
import type axe from 'axe-core';

/**
 * The little of the DOM the in-page checks use, typed here because the node test project has no DOM library
 * (the functions run in Chromium, not in Node).
 */
interface PageBox { left: number; top: number; right: number; bottom: number; width: number; height: number }
interface PageElement {
  tagName: string;
  namespaceURI: string | null;
  className: unknown;
  textContent: string | null;
  scrollWidth: number;
  scrollHeight: number;
  clientWidth: number;
  clientHeight: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): PageBox;
}
export interface PageGlobals {
  innerWidth: number;
  innerHeight: number;
  document: { scrollingElement: PageElement | null; documentElement: PageElement; body: { querySelectorAll(selector: string): Iterable<PageElement>; innerText: string } };
  getComputedStyle(el: PageElement): { display: string; visibility: string; opacity: string; overflowX: string; overflowY: string };
  requestAnimationFrame(callback: () => void): number;
  axe: typeof axe;
}

/** Runs in the page: what does not fit, what cannot be reached, what is too small to touch. */
export function layoutProblems(): string[] {
  const { innerWidth, innerHeight, document, getComputedStyle } = globalThis as unknown as PageGlobals;
  const problems: string[] = [];
  const vw = innerWidth;
  const vh = innerHeight;
  const slack = 1; // sub-pixel rounding
  const name = (el: PageElement) => {
    const id = el.getAttribute('data-testid');
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
  };
  const doc = document.scrollingElement ?? document.documentElement;
  if (doc.scrollWidth > vw + slack || doc.scrollHeight > vh + slack) problems.push(`the page scrolls: ${doc.scrollWidth}×${doc.scrollHeight} in ${vw}×${vh}`);
  const visible = (el: PageElement) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || !visible(el)) continue; // SVG has no scroll box
    const style = getComputedStyle(el);
    if (style.display === 'inline') continue; // inline boxes have no scroll size of their own
    if (style.overflowX === 'visible' && el.scrollWidth > el.clientWidth + slack) problems.push(`overflows sideways (${el.scrollWidth} > ${el.clientWidth}): ${name(el)}`);
    if (style.overflowY === 'visible' && el.scrollHeight > el.clientHeight + slack) problems.push(`overflows downwards (${el.scrollHeight} > ${el.clientHeight}): ${name(el)}`);
  }
  const controls = document.body.querySelectorAll('button, a[href], input, select, textarea, [role="button"], [tabindex]:not([tabindex="-1"])');
  for (const el of controls) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -slack || r.top < -slack || r.right > vw + slack || r.bottom > vh + slack) {
      problems.push(`control outside the viewport (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}): ${name(el)}`);
    }
    if (r.width < 48 - 0.5 || r.height < 48 - 0.5) problems.push(`touch target ${Math.round(r.width)}×${Math.round(r.height)} px (< 48): ${name(el)}`);
  }
  return problems;
}
