// Elastic-tabstop alignment and trailing-space trimming, ported from Go's text/tabwriter and Alloy's trimmer.
// The printer's output goes through both, exactly as `alloy fmt` does, so `=` columns line up byte for byte.

/** Brackets text the tabwriter must not interpret (comments). NUL cannot appear in a parsed file. */
export const ESCAPE = "\u0000";

interface Cell {
  size: number; // code units in buf
  width: number; // code points
  htab: boolean;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** Trims trailing blanks from every line and turns \v into \t, \f into \n; drops ESCAPE brackets. */
class Trimmer {
  private state: "space" | "escape" | "text" = "space";
  private space = "";
  readonly out: string[] = [];

  private discard(): void {
    this.state = "space";
    this.space = "";
  }

  write(data: string): void {
    let textStart = 0;
    for (let off = 0; off < data.length; off++) {
      let b = data[off] ?? "";
      if (b === "\v") b = "\t";
      switch (this.state) {
        case "space":
          if (b === "\t" || b === " ") this.space += b;
          else if (b === "\n" || b === "\f") {
            this.discard();
            this.out.push("\n");
          } else if (b === ESCAPE) {
            this.out.push(this.space);
            this.state = "escape";
            textStart = off + 1;
          } else {
            this.out.push(this.space);
            this.state = "text";
            textStart = off;
          }
          break;
        case "text":
          if (b === "\t" || b === " ") {
            this.out.push(data.slice(textStart, off));
            this.discard();
            this.space += b;
          } else if (b === "\n" || b === "\f") {
            this.out.push(data.slice(textStart, off));
            this.discard();
            this.out.push("\n");
          } else if (b === ESCAPE) {
            this.out.push(data.slice(textStart, off));
            this.state = "escape";
            textStart = off + 1;
          }
          break;
        case "escape":
          if (b === ESCAPE) {
            this.out.push(data.slice(textStart, off));
            this.discard();
          }
          break;
      }
    }
    if (this.state === "escape" || this.state === "text") {
      this.out.push(data.slice(textStart));
      this.discard();
    }
  }
}

/**
 * Go's tabwriter with minwidth 0, tabwidth 8, padding 1, padchar ' ', DiscardEmptyColumns | TabIndent,
 * writing into the trimmer.
 */
class TabWriter {
  private buf = "";
  private pos = 0;
  private cell: Cell = { size: 0, width: 0, htab: false };
  private endChar = "";
  private lines: Cell[][] = [[]];
  private widths: number[] = [];

  constructor(private readonly out: Trimmer) {}

  private reset(): void {
    this.buf = "";
    this.pos = 0;
    this.cell = { size: 0, width: 0, htab: false };
    this.endChar = "";
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (useTabs) {
      const w = Math.ceil(cellw / 8) * 8;
      const n = w - textw;
      this.out.write("\t".repeat(Math.ceil(n / 8)));
      return;
    }
    this.out.write(" ".repeat(cellw - textw));
  }

  private writeLines(pos0: number, line0: number, line1: number): number {
    let pos = pos0;
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i] ?? [];
      let useTabs = true;
      for (let j = 0; j < line.length; j++) {
        const c = line[j] as Cell;
        const w = this.widths[j];
        if (c.size === 0) {
          if (w !== undefined) this.writePadding(c.width, w, useTabs);
        } else {
          useTabs = false;
          this.out.write(this.buf.slice(pos, pos + c.size));
          pos += c.size;
          if (w !== undefined) this.writePadding(c.width, w, false);
        }
      }
      if (i + 1 === this.lines.length) {
        this.out.write(this.buf.slice(pos, pos + this.cell.size));
        pos += this.cell.size;
      } else {
        this.out.write("\n");
      }
    }
    return pos;
  }

  private format(pos0: number, line0In: number, line1: number): number {
    let pos = pos0;
    let line0 = line0In;
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      let line = this.lines[t] ?? [];
      if (column >= line.length - 1) continue;
      pos = this.writeLines(pos, line0, t);
      line0 = t;
      let width = 0;
      let discardable = true;
      for (; t < line1; t++) {
        line = this.lines[t] ?? [];
        if (column >= line.length - 1) break;
        const c = line[column] as Cell;
        width = Math.max(width, c.width + 1);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable) width = 0;
      this.widths.push(width);
      pos = this.format(pos, line0, t);
      this.widths.pop();
      line0 = t;
    }
    return this.writeLines(pos, line0, line1);
  }

  private append(text: string): void {
    this.buf += text;
    this.cell.size += text.length;
  }

  private updateWidth(): void {
    this.cell.width += runeCount(this.buf.slice(this.pos));
    this.pos = this.buf.length;
  }

  private endEscape(): void {
    this.updateWidth();
    this.cell.width -= 2;
    this.pos = this.buf.length;
    this.endChar = "";
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1] as Cell[];
    line.push(this.cell);
    this.cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  flush(): void {
    if (this.cell.size > 0) {
      if (this.endChar !== "") this.endEscape();
      this.terminateCell(false);
    }
    this.format(0, 0, this.lines.length);
    this.reset();
  }

  write(buf: string): void {
    let n = 0;
    for (let i = 0; i < buf.length; i++) {
      const ch = buf[i];
      if (this.endChar === "") {
        if (ch === "\t" || ch === "\v" || ch === "\n" || ch === "\f") {
          this.append(buf.slice(n, i));
          this.updateWidth();
          n = i + 1;
          const ncells = this.terminateCell(ch === "\t");
          if (ch === "\n" || ch === "\f") {
            this.lines.push([]);
            if (ch === "\f" || ncells === 1) this.flush();
          }
        } else if (ch === ESCAPE) {
          this.append(buf.slice(n, i));
          this.updateWidth();
          n = i;
          this.endChar = ESCAPE;
        }
      } else if (ch === this.endChar) {
        this.append(buf.slice(n, i + 1));
        n = i + 1;
        this.endEscape();
      }
    }
    this.append(buf.slice(n));
  }
}

/** Runs printer output through the tabwriter and the trimmer, as Alloy's printer.Fprint does. */
export function alignAndTrim(output: string): string {
  const trimmer = new Trimmer();
  const tw = new TabWriter(trimmer);
  tw.write(output);
  tw.flush();
  return trimmer.out.join("");
}
