// An interactive SVG flame graph of folded stacks, in the manner of Brendan
// Gregg's flamegraph.pl: the root (`all`) at the bottom, each frame as wide
// as its share of the total value, its callees stacked on it. A hover shows
// a frame's name, value and share; a click zooms to it (its callers stay,
// full width and faded, below it); `Search` highlights the frames a regular
// expression finds and says what share they hold; `Reset Zoom` goes back.
// The page is self-contained: no font, script or style is fetched.
import type { FoldedStack } from './stacks.ts';

export interface FlameGraphOptions {
  title?: string;
  /** What the values count (`samples`). */
  unit?: string;
  width?: number;
}

interface Node {
  name: string;
  value: number;
  children: Map<string, Node>;
}

const FRAME_HEIGHT = 16;
const PAD = 10;
const TOP = 34;
const BOTTOM = 30;
/** Frames narrower than this many pixels are left out (they could not be seen or clicked). */
const MIN_WIDTH = 0.1;

function tree(stacks: readonly FoldedStack[]): Node {
  const root: Node = { name: 'all', value: 0, children: new Map() };
  for (const s of stacks) {
    if (s.value <= 0) continue;
    root.value += s.value;
    let node = root;
    for (const f of s.frames) {
      let child = node.children.get(f);
      if (!child) node.children.set(f, (child = { name: f, value: 0, children: new Map() }));
      child.value += s.value;
      node = child;
    }
  }
  return root;
}

function depth(n: Node): number {
  let d = 0;
  for (const c of n.children.values()) d = Math.max(d, depth(c) + 1);
  return d;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** flamegraph.pl's "hot" palette, picked by the name so a function keeps its color. */
export function frameColor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const v1 = (h & 0xff) / 255;
  const v2 = ((h >>> 8) & 0xff) / 255;
  const v3 = ((h >>> 16) & 0xff) / 255;
  return `rgb(${205 + Math.round(50 * v3)},${Math.round(230 * v1)},${Math.round(55 * v2)})`;
}

/** The page's script: text fitting, details on hover, zoom, search. */
const SCRIPT = `
var W, frames, details, unzoomBtn, matched, CHAR = 7;
function init() {
  W = +document.documentElement.getAttribute('width');
  frames = [].slice.call(document.querySelectorAll('g.frame'));
  details = document.getElementById('details');
  unzoomBtn = document.getElementById('unzoom');
  matched = document.getElementById('matched');
  frames.forEach(function (g) {
    fit(g);
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseover', function () { details.textContent = g.querySelector('title').textContent; });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
  });
  unzoomBtn.addEventListener('click', unzoom);
  document.getElementById('search').addEventListener('click', function () {
    var term = prompt('Search frames (regular expression):', '');
    if (term !== null) search(term);
  });
}
function place(g, x, w) {
  var r = g.querySelector('rect');
  r.setAttribute('x', x);
  r.setAttribute('width', w);
  fit(g);
}
function fit(g) {
  var r = g.querySelector('rect'), t = g.querySelector('text'), name = g.getAttribute('data-name');
  var n = Math.floor((+r.getAttribute('width') - 6) / CHAR);
  t.setAttribute('x', +r.getAttribute('x') + 3);
  t.textContent = n < 3 ? '' : name.length <= n ? name : name.slice(0, n - 2) + '..';
}
function zoom(node) {
  var x0 = +node.getAttribute('data-x'), w0 = +node.getAttribute('data-w'), y0 = +node.getAttribute('data-y');
  var scale = (W - 2 * ${PAD}) / w0;
  frames.forEach(function (g) {
    var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w'), y = +g.getAttribute('data-y');
    g.classList.remove('hide', 'parent');
    if (x + w <= x0 + 1e-6 || x >= x0 + w0 - 1e-6 || (y < y0 && (x < x0 - 1e-6 || x + w > x0 + w0 + 1e-6))) g.classList.add('hide');
    else if (y > y0) { g.classList.add('parent'); place(g, ${PAD}, W - 2 * ${PAD}); }
    else place(g, ${PAD} + (x - x0) * scale, w * scale);
  });
  unzoomBtn.classList.remove('hide');
}
function unzoom() {
  frames.forEach(function (g) {
    g.classList.remove('hide', 'parent');
    place(g, +g.getAttribute('data-x'), +g.getAttribute('data-w'));
  });
  unzoomBtn.classList.add('hide');
}
function search(term) {
  var re;
  try { re = new RegExp(term); } catch (e) { matched.textContent = 'Bad expression'; return; }
  var spans = [];
  frames.forEach(function (g) {
    var r = g.querySelector('rect');
    var hit = term !== '' && re.test(g.getAttribute('data-name'));
    r.setAttribute('fill', hit ? 'rgb(230,0,230)' : g.getAttribute('data-fill'));
    if (hit) spans.push([+g.getAttribute('data-x'), +g.getAttribute('data-x') + +g.getAttribute('data-w')]);
  });
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var total = 0, end = -1;
  spans.forEach(function (s) { if (s[1] > end) { total += s[1] - Math.max(s[0], end); end = s[1]; } });
  matched.textContent = term === '' ? ' ' : 'Matched: ' + (100 * total / (W - 2 * ${PAD})).toFixed(1) + '%';
}
`;

/** The SVG of a flame graph of `stacks`. */
export function flameGraphSvg(stacks: readonly FoldedStack[], options: FlameGraphOptions = {}): string {
  const width = options.width ?? 1200;
  const unit = options.unit ?? 'samples';
  const root = tree(stacks);
  const height = TOP + (depth(root) + 1) * FRAME_HEIGHT + BOTTOM;
  const scale = root.value > 0 ? (width - 2 * PAD) / root.value : 0;
  const out: string[] = [];
  const visit = (n: Node, x: number, d: number) => {
    const w = n.value * scale;
    if (w < MIN_WIDTH) return;
    const y = height - BOTTOM - (d + 1) * FRAME_HEIGHT;
    const share = root.value > 0 ? ((100 * n.value) / root.value).toFixed(2) : '0';
    const fill = frameColor(n.name);
    const name = escapeXml(n.name);
    out.push(
      `<g class="frame" data-name="${name}" data-x="${(PAD + x).toFixed(2)}" data-w="${w.toFixed(2)}" data-y="${y}" data-fill="${fill}">` +
        `<title>${name} (${n.value} ${unit}, ${share}%)</title>` +
        `<rect x="${(PAD + x).toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${FRAME_HEIGHT - 1}" rx="2" fill="${fill}"/>` +
        `<text x="${(PAD + x + 3).toFixed(2)}" y="${y + FRAME_HEIGHT - 4}">${name}</text></g>`,
    );
    let cx = x;
    for (const c of [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      visit(c, cx, d + 1);
      cx += c.value * scale;
    }
  };
  visit(root, 0, 0);
  return `<?xml version="1.0" standalone="no"?>
<svg version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">
<style>
text { font-family: monospace; font-size: 12px; fill: #000; }
g.frame { cursor: pointer; }
g.frame:hover rect { stroke: #000; stroke-width: 0.5; }
g.parent { opacity: 0.5; }
.hide { display: none; }
#title { font-size: 17px; text-anchor: middle; }
#unzoom, #search { cursor: pointer; }
</style>
<rect x="0" y="0" width="${width}" height="${height}" fill="#eeeeee"/>
<text id="title" x="${width / 2}" y="24">${escapeXml(options.title ?? 'Flame Graph')}</text>
<text id="unzoom" class="hide" x="${PAD}" y="24">Reset Zoom</text>
<text id="search" x="${width - PAD - 60}" y="24">Search</text>
<text id="details" x="${PAD}" y="${height - 10}"> </text>
<text id="matched" x="${width - PAD - 140}" y="${height - 10}"> </text>
<g id="frames">
${out.join('\n')}
</g>
<script><![CDATA[${SCRIPT}
init();
]]></script>
</svg>
`;
}
