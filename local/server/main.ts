/**
 * Entry of the local server: `tsx local/server/main.ts`. Serves dist-h5/ and runs the built
 * functions from dist-functions/ (build them first, or use `npm start`).
 *
 * Environment:
 *   PORT                     port on 127.0.0.1 (default 10086; 0 = any free port)
 *   LINLI_DATA_DIR           data directory: cloud.sqlite and the token secret (default <repo>/data)
 *   LINLI_SECRETARY_OPENIDS  comma-separated secretary openids (default the sample secretary)
 *   LINLI_PUBLIC_URL         base URL the QR codes point at (default this server's URL)
 *   LINLI_FUNCTIONS          "built" (dist-functions/, default) or "source" (cloudfunctions/)
 *   LINLI_FUNCTIONS_DIR      another folder of function folders (tests)
 *   LINLI_STATIC_DIR         another folder to serve instead of dist-h5/ (tests)
 *   LINLI_DEV_ENDPOINTS      "0" turns off /api/dev/* (sign-in, QR code, outbox, subscribe)
 *   LINLI_SEED               "0" skips seeding the sample data on start
 *   LINLI_TIMERS             "0" does not run config.json timer triggers on schedule
 *   LINLI_KEEP_TZ            "1" keeps the process time zone; otherwise TZ=UTC like production
 */
import { runServerFromEnv, applyProductionTimeZone } from './cli';

applyProductionTimeZone();
runServerFromEnv().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
