/**
 * Renders a Vega-Lite spec to an SVG string in Node: compiled to Vega, run by a headless View
 * (renderer 'none'). Vega measures text without a canvas by estimating glyph widths, which is
 * enough for axis labels; nothing is downloaded or drawn in a browser.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The SVG markup of a Vega-Lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
