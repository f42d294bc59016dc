import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, parseSettings } from './settings';

describe('settings', () => {
  it('falls back field by field on damaged values', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ recordActivity: false, notifications: 'yes', keyAgeDays: 0 })).toEqual({
      ...DEFAULT_SETTINGS,
      recordActivity: false,
    });
    expect(parseSettings({ keyAgeDays: 30.5 }).keyAgeDays).toBe(90);
    expect(parseSettings({ keyAgeDays: 30 }).keyAgeDays).toBe(30);
  });

  it('applies a valid patch whole, or nothing with a message', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { keyAgeDays: 365, notifications: true })).toEqual({
      ok: true,
      settings: { recordActivity: true, recordDurations: true, notifications: true, keyAgeDays: 365, viewer: true },
    });
    expect(applySettingsPatch(DEFAULT_SETTINGS, { keyAgeDays: 4000, notifications: true })).toEqual({
      ok: false,
      message: 'The key age reminder must be a whole number of days from 1 to 3650.',
    });
  });
});

describe('the viewer setting', () => {
  it('is on by default, keeps a stored boolean, and refuses anything else', () => {
    expect(parseSettings({}).viewer).toBe(true);
    expect(parseSettings({ viewer: false }).viewer).toBe(false);
    expect(parseSettings({ viewer: 'no' }).viewer).toBe(true);
    expect(applySettingsPatch(DEFAULT_SETTINGS, { viewer: false })).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, viewer: false },
    });
    expect(applySettingsPatch(DEFAULT_SETTINGS, { viewer: 'off' as unknown as boolean })).toEqual({
      ok: false,
      message: 'The response viewer must be on or off.',
    });
  });
});
