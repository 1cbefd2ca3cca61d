/** Exit codes: 0 success, 1 error, 2 bad usage, 3 changes found (diff --exit-code). */
export const EXIT = { ok: 0, error: 1, usage: 2, changes: 3 } as const;
export const EXIT_CHANGES = EXIT.changes;
