import { describe, expect, it } from 'vitest';
import { redactAddresses } from '../../src/server/store/redact';

describe('redactAddresses', () => {
  const cases: [string, string, string][] = [
    [
      'an IPv4 address with a port',
      'connect to 10.1.2.3:5432 failed',
      'connect to <redacted> failed',
    ],
    ['an IPv4 address at the end of a sentence', 'pod ip is 10.1.2.3.', 'pod ip is <redacted>.'],
    ['a compressed IPv6 address', 'instance fd00::1 is down', 'instance <redacted> is down'],
    [
      'a bracketed IPv6 address with a port',
      'dial tcp [2001:db8::5]:9187: refused',
      'dial tcp <redacted>: refused',
    ],
    ['a full IPv6 address', 'from 2001:db8:0:0:0:0:0:1 ok', 'from <redacted> ok'],
    ['an IPv4-mapped IPv6 address', 'peer ::ffff:10.0.0.1 reset', 'peer <redacted> reset'],
    [
      'a URL with credentials',
      'GET https://AKIA:s3cr3t@minio.example.com:9000/b?x=1 failed',
      'GET <redacted> failed',
    ],
    ['an s3 destination', 'no backup in s3://backups/alpha', 'no backup in <redacted>'],
    ['a host and port', 'minio.backup.svc:9000 unreachable', '<redacted> unreachable'],
    ['a service host and port', 'could not reach alpha-rw:5432', 'could not reach <redacted>'],
  ];

  for (const [description, input, expected] of cases) {
    it(`removes ${description}`, () => {
      expect(redactAddresses(input)).toBe(expected);
    });
  }

  it('leaves timestamps, clock times and ordinary prose alone', () => {
    const text =
      'Backup was successful at 2026-03-24T12:00:00Z (12:30:45), exit status 1, std::move';

    expect(redactAddresses(text)).toBe(text);
  });
});
