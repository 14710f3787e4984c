// Watches the collector config file with chokidar and hands each settled version to a callback.
// Watches the directory, not the file, so an editor's or our own rename-replace is seen as a change.

import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { type FSWatcher, watch } from "chokidar";

export interface ConfigWatcherOptions {
  file: string;
  /** Quiet time before a burst of events counts as one change. */
  debounceMs?: number;
  /** Called with the file's text, or null when it is gone. Never called concurrently. */
  onChange: (text: string | null) => Promise<void> | void;
  onProblem?: (message: string) => void;
}

export class ConfigWatcher {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(private readonly options: ConfigWatcherOptions) {
    this.file = resolve(options.file);
  }

  async start(): Promise<void> {
    const name = basename(this.file);
    const watcher = watch(dirname(this.file), {
      ignoreInitial: true,
      depth: 0,
      // Temp files of atomic writers (ours: `.config.alloy.<hex>.tmp`) are not the config.
      ignored: (path: string) => resolve(path) !== this.file && resolve(path) !== dirname(this.file),
    });
    this.watcher = watcher;
    watcher.on("all", (_event, path) => {
      if (basename(path) === name) this.schedule();
    });
    watcher.on("error", (error) => this.options.onProblem?.(`config watch: ${(error as Error).message}`));
    await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.emit());
    }, this.options.debounceMs ?? 300);
  }

  private async emit(): Promise<void> {
    let text: string | null;
    try {
      text = await readFile(this.file, "utf8");
    } catch {
      text = null;
    }
    try {
      await this.options.onChange(text);
    } catch (error) {
      this.options.onProblem?.(`config watch: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.watcher?.close();
    this.watcher = null;
    await this.running;
  }
}
