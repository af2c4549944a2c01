import { describe, expect, it } from 'vitest';
import { outboundUriErrors } from '../../src/clients/outbound-uri-policy.js';
import { validateClientInput } from '../../src/clients/validation/validate-client.js';

const NOW = Date.UTC(2026, 0, 1);
const client = (host: string) => ({
  client_id: 'c', client_name: 'C', client_orgno: '991825827', redirect_uris: [`https://${host}/cb`], backchannel_logout_uri: `https://${host}/bcl`,
});

describe('outboundUriErrors', () => {
  it('refuses inner literal addresses in production, naming the field and the kind of address', () => {
    for (const [host, cls] of [['127.0.0.1', 'loopback'], ['10.0.0.1', 'private'], ['169.254.169.254', 'link-local'], ['[fd00::1]', 'unique-local'], ['[::]', 'unspecified'], ['[::ffff:192.168.1.1]', 'private'], ['100.64.1.1', 'cgnat']] as const) {
      const errors = outboundUriErrors({ backchannel_logout_uri: `https://${host}/bcl` }, true);
      expect(errors, host).toEqual([{ field: 'backchannel_logout_uri', message: expect.stringContaining(`${cls} address`) }]);
    }
  });

  it('lets public addresses and names through (names are checked when called), and does nothing outside production', () => {
    expect(outboundUriErrors({ backchannel_logout_uri: 'https://93.184.216.34/bcl' }, true)).toEqual([]);
    expect(outboundUriErrors({ backchannel_logout_uri: 'https://rp.example.no/bcl' }, true)).toEqual([]);
    expect(outboundUriErrors({ backchannel_logout_uri: 'https://127.0.0.1/bcl' }, false)).toEqual([]);
    expect(outboundUriErrors({ backchannel_logout_uri: 'not a url' }, true)).toEqual([]);
    expect(outboundUriErrors({}, true)).toEqual([]);
  });

  it('is part of client validation in production only', () => {
    const prod = validateClientInput(client('127.0.0.1'), { production: true, now: NOW });
    expect(prod.ok).toBe(false);
    expect(!prod.ok && prod.errors.map((e) => e.field)).toContain('backchannel_logout_uri');
    expect(validateClientInput(client('rp.example.no'), { production: true, now: NOW }).ok).toBe(true);
  });
});
