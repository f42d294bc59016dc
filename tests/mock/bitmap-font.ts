// A tiny 5×7 bitmap font, drawn by hand, so that the mock can write labels ("7/63/42") into the
// PNG tiles it makes and build the SDF glyphs of its vector-tile font without any font file or
// image library. Lower-case letters are drawn with the capitals' shapes.

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

// Each glyph is 7 rows of 5 columns; '#' is ink.
const GLYPHS: Record<string, string> = {
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '####. ....# ....# .###. ....# ....# ####.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '/': '....# ....# ...#. ..#.. .#... #.... #....',
  '-': '..... ..... ..... .###. ..... ..... .....',
  _: '..... ..... ..... ..... ..... ..... #####',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... .##.. ..#.. .#...',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  "'": '..#.. ..#.. .#... ..... ..... ..... .....',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  '@': '.###. #...# #.### #.#.# #.### #.... .###.',
  '#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '=': '..... ..... ##### ..... ##### ..... .....',
};

const ROWS = new Map<string, boolean[][]>();
for (const [ch, art] of Object.entries(GLYPHS)) {
  ROWS.set(
    ch,
    art.split(' ').map((row) => [...row].map((c) => c === '#')),
  );
}

/** The 7 rows of 5 pixels for `ch` (lower case drawn as upper case), or undefined if the font lacks it. */
export function glyphRows(ch: string): boolean[][] | undefined {
  return ROWS.get(ch) ?? (/^[a-z]$/.test(ch) ? ROWS.get(ch.toUpperCase()) : undefined);
}

/** Characters the font can draw (upper case, digits, punctuation; lower case maps to upper). */
export function fontCharacters(): string[] {
  return [...ROWS.keys()];
}

/** Width in pixels of `text` drawn at `scale` with one scaled pixel between characters. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

/**
 * Whether pixel (x, y) is ink when `text` is drawn with its top-left corner at (left, top),
 * every font pixel being `scale`×`scale` image pixels. Unknown characters draw as blanks.
 */
export function inkAt(text: string, scale: number, left: number, top: number, x: number, y: number): boolean {
  const fx = Math.floor((x - left) / scale);
  const fy = Math.floor((y - top) / scale);
  if (fx < 0 || fy < 0 || fy >= GLYPH_HEIGHT) return false;
  const index = Math.floor(fx / (GLYPH_WIDTH + 1));
  const col = fx % (GLYPH_WIDTH + 1);
  if (index >= text.length || col === GLYPH_WIDTH) return false;
  return glyphRows(text[index] ?? ' ')?.[fy]?.[col] ?? false;
}
