/** What every command gets from the program: the run's abort signal (Ctrl-C), its exit code. */
export interface RunContext {
  readonly signal: AbortSignal;
  /** A command that succeeded but has news (diff --exit-code) sets a non-zero code here. */
  setExitCode(code: number): void;
}
