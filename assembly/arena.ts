// A bump arena over linear memory, reset by the caller after every kernel call. The kernels never use the
// AssemblyScript heap (stub runtime, no `new`), so the arena owns everything above __heap_base and memory grows
// only when one call needs more than any call before it.

const BASE: usize = (__heap_base + 15) & ~<usize>15;
let top: usize = BASE;

/** Make sure linear memory reaches `end` bytes. */
export function ensure(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
}

/** Reserve `bytes` (16-byte aligned) and return their address. */
export function alloc(bytes: usize): usize {
  const p = top;
  const end = (p + bytes + 15) & ~<usize>15;
  ensure(end);
  top = end;
  return p;
}

/** The next free address; the region from here may be grown in place with `ensure` until the next alloc. */
export function mark(): usize {
  return top;
}

/** Move the top after a region grown in place from `mark()`. */
export function claim(end: usize): void {
  top = (end + 15) & ~<usize>15;
}

/** Free everything allocated since instantiation. */
export function reset(): void {
  top = BASE;
}
