/** What every command gets from the program: the run's abort signal (Ctrl-C). */
export interface RunContext {
  readonly signal: AbortSignal;
}
