// Preloaded with `node --require` to play a Node whose stream-handle bindings changed:
// LOCAL_LB_TEST_HANDLES=missing removes `tcp_wrap` from process.binding; =broken makes every
// string write on a TCP handle fail, so the bindings load but the self-test does not pass;
// =brokenOnce fails the first such write only (a self-test that fails once, then passes).
// `net` is untouched: it reaches the bindings by another way.
const mode = process.env.LOCAL_LB_TEST_HANDLES;
type Binding = (name: string) => unknown;
const host = process as unknown as { binding: Binding };
const binding = host.binding.bind(process);
if (mode === 'missing') {
  host.binding = (name) => {
    if (name === 'tcp_wrap') throw new Error('No such module: tcp_wrap');
    return binding(name);
  };
} else if (mode === 'broken' || mode === 'brokenOnce') {
  const { TCP } = binding('tcp_wrap') as { TCP: { prototype: Record<string, (...args: unknown[]) => number> } };
  const write = TCP.prototype.writeLatin1String;
  let failed = false;
  // -32: EPIPE, as a write to a closed connection fails.
  TCP.prototype.writeLatin1String = function (this: unknown, ...args: unknown[]): number {
    if (mode === 'brokenOnce' && failed) return write.apply(this, args);
    failed = true;
    return -32;
  };
}
