/**
 * TypeDoc plugin: names each package's module `@metanet/<pkg>` instead of the path TypeDoc derives from its
 * entry point (`graph/src`). Done here rather than with `@module` tags because some barrels are generated
 * (scripts/entries.mjs) and must not be edited by hand.
 */
import { Converter } from 'typedoc';

/** TypeDoc plugin entry point. */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.children ?? []) {
      const m = /^([a-z-]+)\/src$/.exec(mod.name);
      if (m) mod.name = `@metanet/${m[1]}`;
    }
  });
}
