/** Fixture data for the options page and the popup's Activity section, and a stub client that answers with it. */
import { vi } from 'vitest';
import type { MessageMap, MessageName } from '../../../src/core/messages';
import type { ActivityRow, ApiUsageRow, MonitoringView } from '../../../src/core/monitoring';
import { CURRENT_OS_APIS, OS_API_LABELS } from '../../../src/core/os-api-classify';
import type { KeyringClient } from '../../../src/ui/keyring-client';

export const NOW = 1_700_000_000_000;

function usage(counts: Partial<Record<string, number>>, limit = 50): ApiUsageRow[] {
  return CURRENT_OS_APIS.map((api) => {
    const count = counts[api] ?? 0;
    return { api, label: OS_API_LABELS[api], count, limit, ratio: count / limit, warning: count / limit >= 0.8 };
  });
}

export function monitoringView(overrides: Partial<MonitoringView> = {}): MonitoringView {
  const minutes = Array.from({ length: 60 }, (_, i) => (i === 59 ? 42 : i === 30 ? 7 : 0));
  return {
    now: NOW,
    settings: { recordActivity: true, recordDurations: true, notifications: false, keyAgeDays: 90, viewer: true },
    alerts: [
      {
        id: 'rate-limited:p1:maps-raster',
        kind: 'rate-limited',
        projectId: 'p1',
        api: 'maps-raster',
        firstAt: NOW - 5_000,
        lastAt: NOW - 1_000,
        count: 3,
        message: 'OS refused requests to OS Maps API for Roads: more than 50 a minute.',
      },
    ],
    projects: [
      {
        id: 'p1',
        name: 'Roads',
        mode: 'dev',
        authMode: 'header',
        keyAge: {
          ageDays: 120,
          due: true,
          message:
            'This key is 120 days old. Regenerate it on the OS Data Hub, paste the new key here, then choose "I rotated it".',
        },
        usage: usage({ 'maps-raster': 42, names: 10 }),
      },
      {
        id: 'p2',
        name: 'Flood',
        mode: 'live',
        authMode: 'oauth',
        keyAge: { ageDays: 3, due: false, message: 'This key is 3 days old; rotation is due in 87 days.' },
        usage: usage({}, 600),
      },
    ],
    seenAlerts: [],
    activeProjectId: 'p1',
    minutes: { endMinute: Math.floor(NOW / 60_000), byProject: { p1: minutes } },
    daily: [],
    keyRotationUrl: 'https://osdatahub.os.uk/projects',
    ...overrides,
  };
}

const base = {
  method: 'GET',
  durationMs: 31.6,
  initiator: 'http://localhost:5173',
  mode: null,
  projectId: null,
  projectName: null,
  explanation: null,
} as const;

export const ROWS: ActivityRow[] = [
  {
    ...base,
    seq: 3,
    time: NOW - 1_000,
    api: 'maps-raster',
    label: 'OS Maps API',
    path: '/maps/raster/v1/zxy/Road_3857/7/63/42.png?key=…redacted…&foo=1',
    status: 200,
    projectId: 'p1',
    projectName: 'Roads',
    mode: 'header',
    tabId: 7,
  },
  {
    ...base,
    seq: 2,
    time: NOW - 2_000,
    api: 'names',
    label: 'OS Names API',
    path: '/search/names/v1/find?query=Bath',
    status: 401,
    reasonNone: 'site-not-allowed',
    tabId: 9,
    initiator: 'https://staging.example',
    explanation: {
      title: 'No API key was sent',
      detail: 'OS Names API needs a key, and none was attached.',
      action: "Add the page's site to the allowed sites.",
    },
  },
  {
    ...base,
    seq: 1,
    time: NOW - 3_000,
    api: 'places',
    label: 'OS Places API',
    path: '/search/places/v1/find?query=Bath',
    status: 429,
    projectId: 'p1',
    projectName: 'Roads',
    mode: 'header',
    tabId: 7,
    explanation: {
      title: 'Rate limited by OS',
      detail: "OS rate-limited this project's requests to OS Places API (HTTP 429).",
      action: 'Slow down.',
    },
  },
];

type Answers = {
  [N in MessageName]?: (args: MessageMap[N]['args']) => MessageMap[N]['result'] | Promise<MessageMap[N]['result']>;
};

/** A client answering from `answers` (anything else fails), recording every message sent. */
export function stubClient(answers: Answers) {
  const calls: { type: MessageName; args: unknown }[] = [];
  const send = vi.fn(async (type: MessageName, args: unknown) => {
    calls.push({ type, args });
    const answer = answers[type] as ((a: unknown) => unknown) | undefined;
    if (!answer) throw new Error(`No answer for ${type}`);
    return answer(args);
  });
  const client = { send, subscribe: () => () => undefined } as unknown as KeyringClient;
  return { client, calls, sent: (type: MessageName) => calls.filter((c) => c.type === type).map((c) => c.args) };
}

/** The answers an options page needs to load. */
export function loadedAnswers(view = monitoringView(), rows = ROWS): Answers {
  return {
    getMonitoring: () => view,
    getActivity: () => ({ rows, recording: true, now: NOW }),
    getState: () => ({ projects: [{}, {}] }) as unknown as MessageMap['getState']['result'],
    alertsSeen: () => null,
    listBackups: () => ({ backups: [] }),
  };
}
