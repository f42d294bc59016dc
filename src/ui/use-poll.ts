/** Polling shared by the popup's Activity section and the options page. */
import { useEffect } from 'preact/hooks';

/**
 * Call `load` now, then again `ms` after each load ends while the page is visible (a chain of
 * timeouts, so a slow answer never piles up requests), and at once when the page becomes visible.
 */
export function usePoll(load: () => unknown, ms: number): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      clearTimeout(timer);
      if (document.visibilityState !== 'hidden') await load();
      if (!stopped) timer = setTimeout(() => void tick(), ms);
    };
    const onVisible = () => document.visibilityState === 'visible' && void tick();
    void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
}
