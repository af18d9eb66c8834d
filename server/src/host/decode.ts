/**
 * Bytes → text: UTF-8 (BOM dropped; UTF-16 with a BOM honoured), falling back to Latin-1 when the bytes
 * are not valid UTF-8 — real configs in Latin-1 or EUC-KR exist, and every byte must map to something.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}
