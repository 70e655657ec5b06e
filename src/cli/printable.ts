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
