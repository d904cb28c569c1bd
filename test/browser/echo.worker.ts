// Worker used by platform.test.ts: sums the bytes it is sent and echoes a BigInt back.

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<{ bytes: Uint8Array; big: bigint }>) => {
  const { bytes, big } = e.data;
  let sum = 0;
  for (const b of bytes) sum += b;
  scope.postMessage({ sum, big: big + 1n });
};
