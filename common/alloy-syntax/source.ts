// Source positions: byte offsets into the UTF-8 file and the line table that turns them into line/column.
// Offsets are bytes (like Alloy's own diagnostics), so columns match what `alloy fmt` reports.

/** A byte offset into the source, or NO_POS when the node was not read from a file. */
export type Pos = number;
export const NO_POS: Pos = -1;

export interface Position {
  offset: number;
  /** 1-based; 0 when the position is unknown. */
  line: number;
  /** 1-based byte column. */
  column: number;
}

export const UNKNOWN_POSITION: Position = { offset: 0, line: 0, column: 0 };

/** Line starts of one source file, filled in by the scanner as it meets newlines. */
export class LineTable {
  readonly lines: number[];

  constructor(lines: readonly number[] = [0]) {
    this.lines = [...lines];
  }

  addLine(offset: number): void {
    const last = this.lines[this.lines.length - 1] ?? 0;
    if (last < offset) this.lines.push(offset);
  }

  position(pos: Pos): Position {
    if (pos < 0) return { ...UNKNOWN_POSITION };
    // Binary search for the last line start <= pos.
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.lines[mid] ?? 0) > pos) hi = mid;
      else lo = mid + 1;
    }
    const i = lo - 1;
    if (i < 0) return { offset: pos, line: 0, column: 0 };
    return { offset: pos, line: i + 1, column: pos - (this.lines[i] ?? 0) + 1 };
  }
}
