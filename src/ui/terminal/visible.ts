// Text from a guest program or a file, made safe to write to the terminal: control characters are
// shown, not obeyed (as `cat -v` shows them: ESC as ^[, DEL as ^?, C1 controls as M-^[), so output
// cannot clear the screen, move the cursor or fake a prompt. Newlines and tabs stay as they are.

/** Caret notation for a C0 control (0x00-0x1f) or DEL. */
const caret = (c: number) => (c === 0x7f ? '^?' : '^' + String.fromCharCode(c + 0x40));

/** `text` with every control character but \n and \t shown visibly; \r\n stays a line end. */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (ch) => {
    const c = ch.charCodeAt(0);
    return c >= 0x80 ? 'M-' + caret(c - 0x80) : caret(c);
  });
}
