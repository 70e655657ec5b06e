// The WASM kernels' ABI (pointer + length). Filled by the kernels issue.
export function version(): i32 {
  return 1;
}
