// The files a report inlines: uPlot (the charting library, pinned in package.json) with its CSS, and
// the page's own script and style. Read once per process; the report never loads anything at view time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ReportAssets {
  /** uPlot's IIFE build: defines the global `uPlot`. */
  uplotJs: string;
  uplotCss: string;
  clientJs: string;
  css: string;
}

let cached: ReportAssets | undefined;

export function loadAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (file: string | URL) => readFileSync(file, 'utf8');
  cached = {
    uplotJs: read(require.resolve('uplot/dist/uPlot.iife.min.js')),
    uplotCss: read(require.resolve('uplot/dist/uPlot.min.css')),
    clientJs: read(new URL('./client/report.js', import.meta.url)),
    css: read(new URL('./client/report.css', import.meta.url)),
  };
  for (const [name, text] of Object.entries(cached)) {
    // Inlined verbatim into <script>/<style>: a closing tag inside would end the element early.
    if (/<\/(script|style)/i.test(text)) throw new Error(`report asset ${name} contains a closing </script> or </style> tag`);
  }
  return cached;
}
