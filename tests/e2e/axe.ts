/**
 * axe-core in an extension page, for both drivers. The library is evaluated as a script through
 * the driver (CDP in Chromium, WebDriver BiDi in Firefox), which the page's CSP does not govern; a
 * <script> tag would be refused by the extension pages' `script-src 'self'`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0–2.2 A and AA, and axe's best practices (landmarks, one h1, headings in order). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** A page of either driver: Playwright's and puppeteer's `evaluate` both take a script's source as a string. */
export interface Evaluator {
  evaluate(script: string): Promise<unknown>;
}

export type Violation = Pick<Result, 'id' | 'impact' | 'help'> & { targets: string[] };

/** The violations axe finds in the page as it is now (injected once per document). */
export async function axeViolations(page: Evaluator): Promise<Violation[]> {
  // The source as the script itself (an eval inside the page would be refused by the CSP).
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })`,
  )) as AxeResults;
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map(
      (n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`,
    ),
  }));
}

export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `${v.id} [${v.impact ?? '?'}] ${v.help}: ${v.targets.join('; ')}`).join('\n');
}
