// OS Net API (docs/os-apis.md §0): GNSS reference stations and RINEX data, added to the Data Hub
// on 12 June 2025. Paths, fields and the application/problem+json errors follow OS's OpenAPI file
// for it (v1.6.0). Every path needs a credential (its OpenAPI lists the three schemes on each).
import { apiError, json, type Reply } from './reply';
import { API_ORIGIN, int, type Route, type RouteCtx } from './routing';

const NET = `${API_ORIGIN}/positioning/osnet/v1`;

/** Two stations, with the OpenAPI's own example values for the first. */
const STATIONS = [
  {
    stationId: 'ABEP',
    stationName: 'Aberporth',
    ETRS89_X: 3910361.3337,
    ETRS89_Y: -312649.7649,
    ETRS89_Z: 5012487.9118,
    ETRS89_Lat: 'N 52 08 21.903992',
    ETRS89_Long: 'W 004 34 16.727173',
    ETRS89_H: 188.467,
    OSGB36_E: 224134.523,
    OSGB36_N: 252130.77,
    ortho_h: 134.238,
    ortho_Datum: 'Ordnance Datum Newlyn',
    tranModel: '15',
  },
  {
    stationId: 'SOUT',
    stationName: 'Southampton',
    ETRS89_X: 4004200.1,
    ETRS89_Y: -101700.2,
    ETRS89_Z: 4946500.3,
    ETRS89_Lat: 'N 50 56 16.000000',
    ETRS89_Long: 'W 001 27 16.000000',
    ETRS89_H: 90.1,
    OSGB36_E: 437300.0,
    OSGB36_N: 115500.0,
    ortho_h: 43.2,
    ortho_Datum: 'Ordnance Datum Newlyn',
    tranModel: '15',
  },
];

const hourly = () => Array.from({ length: 24 }, (_, hour) => ({ hour, percentageComplete: 100, dataFrequency: '30S' }));

function station(ctx: RouteCtx): Reply {
  const s = STATIONS.find((x) => x.stationId === (ctx.params[0] ?? '').toUpperCase());
  return s ? json(200, s) : apiError('os-net', 404, `Station '${ctx.params[0] ?? ''}' was not found.`);
}

function rinexYear(ctx: RouteCtx): Reply {
  const year = int(ctx.params[0]);
  if (year === null || year < 2000 || year > 2100)
    return apiError('os-net', 400, `'${ctx.params[0] ?? ''}' is not a valid year.`);
  return json(200, {
    title: 'OS Net API RINEX data days',
    description: 'List the days that have RINEX data available, for the given year',
    links: [
      { href: `${NET}/rinex/${year}`, rel: 'self', type: 'application/json', title: 'Self link' },
      { href: `${NET}/rinex/${year}/1`, rel: 'service-endpoint', type: 'application/json', title: '1' },
    ],
  });
}

const GET = ['GET'] as const;
const N = '^/positioning/osnet/v1';
export const OSNET_ROUTES: Route[] = [
  { api: 'os-net', methods: GET, pattern: new RegExp(`${N}/stations$`), handle: () => json(200, STATIONS) },
  {
    api: 'os-net',
    methods: GET,
    pattern: new RegExp(`${N}/stations/health$`),
    handle: () =>
      json(
        200,
        STATIONS.map((s) => ({ stationId: s.stationId, hourlyData: hourly() })),
      ),
  },
  { api: 'os-net', methods: GET, pattern: new RegExp(`${N}/stations/([^/]+)$`), handle: station },
  {
    api: 'os-net',
    methods: GET,
    pattern: new RegExp(`${N}/rinex$`),
    handle: () =>
      json(200, {
        title: 'OS Net API RINEX data years',
        description: 'List the years that have RINEX data available',
        links: [
          {
            href: `${NET}/rinex`,
            rel: 'self',
            type: 'application/json',
            title: 'Self link',
            description: 'This document',
          },
          {
            href: `${NET}/rinex/2026`,
            rel: 'service-endpoint',
            type: 'application/json',
            title: '2026',
            description: 'List RINEX data days for 2026',
          },
        ],
      }),
  },
  { api: 'os-net', methods: GET, pattern: new RegExp(`${N}/rinex/([^/]+)$`), handle: rinexYear },
];
