/**
 * Text from files and file names reaches a terminal: a name with a newline must not split a one-line error, and a
 * comment line holding escape sequences must not recolour, retitle or clear the user's terminal.
 */

/** C0 controls (tab excepted), DEL and the C1 range (8-bit CSI/OSC on some terminals). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Terminal escape sequences: CSI (`ESC [ … final`), OSC/DCS/APC/PM (`ESC ] … BEL|ESC \`), two-byte `ESC x`. */
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|[\u001b][\]P_^X][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u009d\u0090\u009f\u009e\u0098][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[@-_]?/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

/** Control characters shown as escapes (`\n`, `\x1b`): the text stays on one line and is inert in a terminal. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Text from inside a file for display: escape sequences removed, remaining control characters escaped. */
export function stripTerminal(s: string): string {
  return printable(s.replace(ESCAPE, ''));
}

const ENTITY: Record<string, string> = { '<': '&lt;', '&': '&amp;' };

/**
 * Text that comes from the user's files and folders (names, ids, messages) as literal Markdown text: no raw HTML
 * (`<` and `&` as entities: without `<` no tag can open), no emphasis, links, images, code, math or table cells from
 * punctuation (backslash escapes), and control characters shown as escapes so a name with a newline stays on its line.
 * Here beside `printable` (not in report/markdown.ts) so that every section of report.md can use it without a cycle.
 */
export function md(text: string): string {
  return printable(text).replace(/[<&]/g, (c) => ENTITY[c]).replace(/[\\`*_[\]|~$]/g, '\\$&');
}

/**
 * Lines of text (a table as a command prints it) as a fenced Markdown code block: each line printable, and the fence
 * longer than any run of backticks inside, so that no name in the text can close the block.
 */
export function mdCode(text: string): string[] {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [fence, ...text.split('\n').map(printable), fence];
}
