/**
 * A project's badge as the toolbar shows it: its text on its colour. The colour is the user's
 * choice, so the text is black or white, whichever contrasts more with it (WCAG relative luminance).
 */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** '#000000' or '#ffffff', whichever reads better on `background` (a #rrggbb colour). */
export function readableTextOn(background: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(background)) return '#ffffff';
  const l = luminance(background);
  // Contrast with black is (l + 0.05) / 0.05; with white 1.05 / (l + 0.05).
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

export function BadgeChip({ text, color }: { text: string; color: string }) {
  return (
    <span class="badge-chip" style={{ backgroundColor: color, color: readableTextOn(color) }} aria-hidden="true">
      {text}
    </span>
  );
}
