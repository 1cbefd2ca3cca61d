/**
 * The event IDs already profiled, to count a record delivered twice (overlapping inputs,
 * organization and account trails) once. A 53-bit hash per ID in an open-addressing table of
 * two Uint32Arrays: ~16 bytes per event, against ~100 for a Set of strings.
 */
export class EventIdSet {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Adds the ID; false when it was already there. */
  add(id: string): boolean {
    // Two independent 32-bit FNV-1a hashes; 53 bits of them make collisions negligible.
    let h1 = 0x811c9dc5;
    let h2 = 0x050c5d1f;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 13);
    }
    const hi = ((h2 >>> 11) | 1) >>> 0; // never 0: 0 marks an empty slot
    const lo = h1 >>> 0;
    const mask = this.hi.length - 1;
    let slot = lo & mask;
    for (;;) {
      const h = this.hi[slot] as number;
      if (h === 0) break;
      if (h === hi && this.lo[slot] === lo) return false;
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.used++;
    if (this.used * 2 > this.hi.length) this.grow();
    return true;
  }

  private grow(): void {
    const [oldHi, oldLo] = [this.hi, this.lo];
    this.hi = new Uint32Array(oldHi.length * 2);
    this.lo = new Uint32Array(oldLo.length * 2);
    const mask = this.hi.length - 1;
    for (let i = 0; i < oldHi.length; i++) {
      const h = oldHi[i] as number;
      if (h === 0) continue;
      let slot = (oldLo[i] as number) & mask;
      while (this.hi[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = h;
      this.lo[slot] = oldLo[i] as number;
    }
  }
}
