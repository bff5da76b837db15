// What the Output pane holds: the processes' text, without terminal colour codes, capped so a
// chatty stage cannot grow the page without end (the oldest lines go first).
export const trimmedNote = '… earlier output trimmed …\n';

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;

export function cleanOutput(text: string): string {
  return text.replace(ansi, '').replace(/\r\n/g, '\n').replace(/\r/g, '\n');
}

export class OutputBuffer {
  #text = '';
  #trimmed = false;
  readonly limit: number;

  constructor(limit = 100_000) {
    this.limit = limit;
  }

  get text(): string {
    return (this.#trimmed ? trimmedNote : '') + this.#text;
  }

  /** Appends and returns true when old text had to go (the view then re-renders in full). */
  append(chunk: string): boolean {
    this.#text += cleanOutput(chunk);
    if (this.#text.length <= this.limit) return false;
    let cut = this.#text.length - Math.floor(this.limit * 0.8);
    const newline = this.#text.indexOf('\n', cut);
    if (newline !== -1 && newline - cut < 2000) cut = newline + 1;
    this.#text = this.#text.slice(cut);
    this.#trimmed = true;
    return true;
  }

  clear(): void {
    this.#text = '';
    this.#trimmed = false;
  }
}

/**
 * An OutputBuffer shown in a <pre> inside a scrolling box: new text is appended (the whole text
 * is redrawn only when old text had to go), and the box follows it while the reader is at the end.
 */
export class OutputView {
  readonly #buffer: OutputBuffer;
  readonly #pre: HTMLElement;
  readonly #scroll: HTMLElement;

  constructor(pre: HTMLElement, scroll: HTMLElement, limit?: number) {
    this.#buffer = new OutputBuffer(limit);
    this.#pre = pre;
    this.#scroll = scroll;
  }

  append(text: string): void {
    const box = this.#scroll;
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    if (this.#buffer.append(text)) this.#pre.textContent = this.#buffer.text;
    else this.#pre.append(this.#buffer.text.slice(this.#pre.textContent?.length ?? 0));
    if (atEnd) box.scrollTop = box.scrollHeight;
  }

  clear(): void {
    this.#buffer.clear();
    this.#pre.textContent = '';
  }
}
