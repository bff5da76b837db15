// Takes the machine's folders out of a run's output: each folder is shown by a stand-in (~ for
// the home folder, . for the workspace, $DATA_DIR), so a run names no account or path of this
// machine. Output arrives in chunks cut wherever the pipe cut it, so a folder can be split
// between two chunks; the end of a chunk that could still grow into a folder is held back until
// the next chunk shows what it is, or until the stream ends.

export class FolderRedactor {
  private held = '';
  private readonly longest: number;
  private readonly folders: [string, string][];

  /** folders: [folder, shown instead], in the order they are replaced (a folder inside another first). */
  constructor(folders: [string, string][]) {
    this.folders = folders;
    this.longest = Math.max(0, ...folders.map(([folder]) => folder.length));
  }

  /** Everything of this chunk (and of what was held) that can safely be shown now. */
  push(chunk: string): string {
    const text = this.held + chunk;
    const keep = this.partialFolderAtEnd(text);
    this.held = text.slice(text.length - keep);
    return this.replaced(text.slice(0, text.length - keep));
  }

  /** The stream has ended: what was held back can be nothing more than it is. */
  end(): string {
    const rest = this.replaced(this.held);
    this.held = '';
    return rest;
  }

  private replaced(text: string): string {
    for (const [folder, shown] of this.folders) text = text.replaceAll(folder, shown);
    return text;
  }

  // The length of the longest end of text that is the start, but not the whole, of a folder
  // (a whole folder at the end is held too when a longer folder starts with it: the workspace
  // lies inside the home folder, and must be shown as ., not as ~/...).
  private partialFolderAtEnd(text: string): number {
    for (let length = Math.min(this.longest - 1, text.length); length > 0; length--) {
      const end = text.slice(text.length - length);
      if (this.folders.some(([folder]) => folder.length > length && folder.startsWith(end))) return length;
    }
    return 0;
  }
}
