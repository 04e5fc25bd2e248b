// What a person does in the workbench, for the end-to-end tests: commands from the palette, hovers,
// pictures of the editor area.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '../integration/vscodeHost';

/** Screenshots go to docs/ (shown in the README) when LOCAL_LB_UPDATE_SCREENSHOTS=1. */
export const SCREENSHOTS = process.env.LOCAL_LB_UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(ROOT, '.vscode-test', 'screenshots');

/** A choice of `runFromPalette` that accepts, as it is, the input box titled `title` once it shows. */
export function accept(title: string): string {
  return `\n${title}`;
}

/**
 * Runs a command from the palette and clicks `choices` in the picks it shows, in order (`accept`
 * for an input box). The whole
 * sequence is tried again when a pick closes as it opens (focus moving between the workbench and a
 * webview or a terminal): a closed pick has done nothing, so nothing is done twice.
 */
export async function runFromPalette(page: Page, title: string, ...choices: string[]): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const row = (text: string): Locator => widget.locator('.monaco-list-row', { hasText: text }).first();
  for (let attempt = 0; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await widget.locator('input').fill(`>${title}`, { timeout: 10_000 });
      await row(title).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      for (const choice of choices) {
        if (!choice.startsWith('\n')) {
          await row(choice).click({ timeout: 10_000 });
          continue;
        }
        await widget.locator('.quick-input-title', { hasText: choice.slice(1) }).waitFor({ timeout: 10_000 });
        await page.keyboard.press('Enter');
      }
      break;
    } catch (error) {
      if (attempt === 2) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await widget.waitFor({ state: 'hidden' });
}

/**
 * The text of the hover that `target` shows. VS Code shows it after a delay, on mouse-enter, so
 * any earlier hover is dismissed and the pointer moved away first; one retry covers a missed enter.
 */
export async function hoverText(target: Locator, containing: string): Promise<string> {
  const hover = target.page().locator('.monaco-hover, .workbench-hover').filter({ hasText: containing });
  for (let attempt = 0; ; attempt++) {
    await target.page().keyboard.press('Escape');
    await target.page().mouse.move(700, 300);
    await target.hover();
    try {
      await hover.waitFor({ timeout: 10_000 });
      return (await hover.textContent()) ?? '';
    } catch (error) {
      if (attempt > 0) throw error;
    }
  }
}

/**
 * A picture of the editor area alone, in a taller window so that the traffic panel shows whole: the
 * panel at the bottom (the terminals) hidden, notifications cleared.
 */
export async function screenshotEditor(page: Page, name: string, maxHeight = Infinity): Promise<void> {
  if (await page.locator('.part.panel').isVisible()) {
    await page.keyboard.press('Control+J');
    await page.locator('.part.panel').waitFor({ state: 'hidden' });
  }
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1400, height: 1450 });
  await page.waitForTimeout(1500);
  const editor = await page.locator('.part.editor').boundingBox();
  assert.ok(editor);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), clip: { ...editor, height: Math.min(editor.height, maxHeight) } });
  if (size) await page.setViewportSize(size);
}
