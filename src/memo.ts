/**
 * `make`, remembered for up to `limit` keys; past that the memory starts over, since a value is
 * cheap to make again and a long run must not grow without bound.
 */
export function bounded<K, V>(limit: number, make: (key: K) => V): (key: K) => V {
  const memo = new Map<K, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = make(key);
      if (memo.size >= limit) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
}
