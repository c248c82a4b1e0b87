// Well-formedness with a real, strict XML parser (saxes): throws on the first error.
import { SaxesParser } from 'saxes';

/** Parses `xml`; returns the element names in document order. Throws when it is not well-formed XML. */
export function parseXml(xml: string): string[] {
  const names: string[] = [];
  const p = new SaxesParser({ xmlns: true });
  p.on('error', (e) => {
    throw e;
  });
  p.on('opentag', (tag) => names.push(tag.local));
  p.write(xml).close();
  return names;
}

/** Every inline <svg>…</svg> of an HTML page. */
export function svgsOf(html: string): string[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}
