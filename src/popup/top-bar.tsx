import type { ComponentChildren } from 'preact';

/** The heading every view of the popup starts with (the e2e harness waits for it). */
export function TopBar({ children, quiet = false }: { children?: ComponentChildren; quiet?: boolean }) {
  return (
    // `quiet`: the form's own heading leads; the product name stays for screen readers (and as the page's h1).
    <header class={quiet ? 'topbar visually-hidden' : 'topbar'}>
      <h1>OS API Keyring</h1>
      {children}
    </header>
  );
}
