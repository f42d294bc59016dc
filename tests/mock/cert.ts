// Throwaway TLS certificate for the mock. Chromium runs with --ignore-certificate-errors, but
// the cert still needs SANs for every mapped host so that clients which *do* check names (or
// log them) see something sensible. Generated with the openssl CLI because Node's crypto can
// make keys but not X.509 certificates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** Hosts the certificate covers; the e2e resolver rules map all of them to the mock. */
export const CERT_HOSTS = ['api.os.uk', 'example.test', 'blob.test', 'localhost'] as const;

// One certificate per process: RSA key generation costs ~100 ms and several mocks may start
// in one test file.
let cached: TlsMaterial | undefined;

export function getTlsMaterial(): TlsMaterial {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'os-api-mock-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const san = [...CERT_HOSTS.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',');
    // -days 2: the cert only has to outlive one test run; a short life makes a leaked copy useless.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=api.os.uk',
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cached = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
    return cached;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'os-api-mock: the `openssl` command was not found on PATH. It is needed to make a ' +
          'throwaway TLS certificate for the mock (Debian: apt-get install openssl).',
        { cause: err },
      );
    }
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`os-api-mock: openssl failed to generate a certificate${stderr ? `: ${stderr}` : ''}`, {
      cause: err,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
