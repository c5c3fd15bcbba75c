/** "a, b  c" -> ["a", "b", "c"]: trimmed, de-duplicated, at most 50 of at most 50 characters. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[,\s]+/)
    .map((tag) => tag.trim().slice(0, 50))
    .filter(Boolean);
  return [...new Set(tags)].slice(0, 50);
}
