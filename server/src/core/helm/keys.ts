// The words of a values key, however the chart spells it (camelCase, SNAKE_CASE, kebab-case): rules
// that judge a key by what it names (a password, a host) read these instead of the raw key.

const wordsCache = new Map<string, string[]>();

/** `adminPassword` → [admin, password]; `DB_PASSWORD` → [db, password]; `api-key` → [api, key]. */
export function keyWords(key: string): string[] {
  let words = wordsCache.get(key);
  if (!words) {
    // Values files repeat the same few hundred keys; the cache only stays small for them.
    if (wordsCache.size > 20_000) wordsCache.clear();
    words = splitKey(key);
    wordsCache.set(key, words);
  }
  return words;
}

function splitKey(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}
