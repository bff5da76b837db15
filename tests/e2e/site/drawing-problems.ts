import type { Locator } from '../fixtures.ts';

/**
 * What is wrong with one drawing as the browser drew it: text on other text, text cut by the
 * edge of the drawing or sticking out of its box (a `g.node` or `g.store`), text that does not
 * stand out from what is behind it. Empty when all is well. Used for the stage maps and the
 * diagrams alike.
 */
export function problemsOf(svg: Locator) {
  return svg.evaluate((svg: SVGSVGElement) => {
    const problems: string[] = [];
    const tolerance = 0.5; // in the drawing's own units: less than a pixel at full size
    const viewBox = svg.viewBox.baseVal;
    // Boxes in the units of the viewBox, whatever size the page draws the map at and wherever
    // it is scrolled to.
    const box = (el: Element) => {
      const frame = svg.getBoundingClientRect();
      const scale = frame.width / viewBox.width;
      const r = el.getBoundingClientRect();
      return { left: (r.left - frame.left) / scale + viewBox.x, top: (r.top - frame.top) / scale + viewBox.y, right: (r.right - frame.left) / scale + viewBox.x, bottom: (r.bottom - frame.top) / scale + viewBox.y };
    };
    type Box = ReturnType<typeof box>;
    const inside = (a: Box, b: Box) => a.left >= b.left - tolerance && a.top >= b.top - tolerance && a.right <= b.right + tolerance && a.bottom <= b.bottom + tolerance;
    const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance;
    const show = (b: Box) => `[${b.left.toFixed(1)},${b.top.toFixed(1)} → ${b.right.toFixed(1)},${b.bottom.toFixed(1)}]`;

    const luminance = (color: string) => {
      const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const opaque = (color: string) => /^rgb\(/.test(color) || (/^rgba\(/.test(color) && !/,\s*0\)$/.test(color));
    /** The colour drawn right behind the middle of a text: a filled shape of the map, else the page. */
    const behind = (text: SVGTextElement) => {
      const r = text.getBoundingClientRect();
      const stack = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      for (const el of stack.slice(stack.indexOf(text) + 1)) {
        if (el instanceof SVGGeometryElement && el.closest('svg') === svg) {
          const fill = getComputedStyle(el).fill;
          if (opaque(fill) && Number(getComputedStyle(el).fillOpacity) > 0) return fill;
        } else if (!(el instanceof SVGElement)) {
          for (let node: Element | null = el; node; node = node.parentElement) {
            const background = getComputedStyle(node).backgroundColor;
            if (opaque(background)) return background;
          }
          return 'rgb(255, 255, 255)';
        }
      }
      return undefined;
    };

    const texts = [...svg.querySelectorAll('text')].map((el) => ({ el, label: JSON.stringify(el.textContent ?? ''), box: box(el) }));
    if (texts.length === 0) problems.push('the map has no text');
    const whole = { left: viewBox.x, top: viewBox.y, right: viewBox.x + viewBox.width, bottom: viewBox.y + viewBox.height };
    for (const t of texts) {
      if (!inside(t.box, whole)) problems.push(`${t.label} ${show(t.box)} is cut by the edge of the map ${show(whole)}`);
      const owner = t.el.closest('g.node, g.store');
      const outline = owner?.querySelector(owner.matches('.store') ? 'path' : 'rect:not(.replica)');
      if (outline && !inside(t.box, box(outline))) problems.push(`${t.label} ${show(t.box)} sticks out of its box ${show(box(outline))}`);
    }
    texts.forEach((a, i) => {
      for (const b of texts.slice(i + 1)) if (overlap(a.box, b.box)) problems.push(`${a.label} ${show(a.box)} overlaps ${b.label} ${show(b.box)}`);
    });
    for (const t of texts) {
      const r = t.el.getBoundingClientRect();
      if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) t.el.scrollIntoView({ block: 'center', inline: 'center' });
      const background = behind(t.el);
      if (!background) continue;
      const [light, dark] = [luminance(getComputedStyle(t.el).fill), luminance(background)].sort((x, y) => y - x);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      if (ratio < 4.5) problems.push(`${t.label} has a contrast of ${ratio.toFixed(2)} against ${background} (4.5 needed)`);
    }
    return problems;
  });
}
