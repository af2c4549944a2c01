import { describe, expect, it } from 'vitest';
import { classifyAddress, isPublicAddress, literalAddress } from '../../src/net/address-policy.js';

describe('classifyAddress', () => {
  const cases: [string, string][] = [
    // IPv4
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'], ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['172.15.255.255', 'public'], ['172.32.0.0', 'public'],
    ['192.168.0.1', 'private'], ['192.168.255.255', 'private'], ['192.169.0.1', 'public'],
    ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'cgnat'], ['100.127.255.255', 'cgnat'], ['100.63.255.255', 'public'], ['100.128.0.0', 'public'],
    ['192.0.0.8', 'reserved'], ['198.18.0.1', 'reserved'], ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'], ['1.1.1.1', 'public'], ['151.101.1.1', 'public'],
    // IPv6
    ['::', 'unspecified'], ['0:0:0:0:0:0:0:0', 'unspecified'], ['::1', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'unique-local'], ['fd12:3456:789a::1', 'unique-local'], ['fbff::1', 'public'],
    ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'private'], ['ff02::1', 'multicast'],
    ['2001:4860:4860::8888', 'public'], ['2a00:1450:4001:81b::200e', 'public'],
    // IPv4-mapped, -compatible, NAT64, 6to4
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::FFFF:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'], ['::ffff:0.0.0.0', 'unspecified'], ['::ffff:8.8.8.8', 'public'],
    ['0:0:0:0:0:ffff:192.168.1.1', 'private'], ['::127.0.0.1', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::8.8.8.8', 'public'], ['2002:c0a8:0101::1', 'private'], ['2002:0808:0808::1', 'public'],
    // with brackets, and not addresses
    ['[::1]', 'loopback'], ['localhost', 'invalid'], ['example.com', 'invalid'], ['1.2.3', 'invalid'], ['', 'invalid'],
  ];
  for (const [address, cls] of cases) {
    it(`${address || '(empty)'} → ${cls}`, () => {
      expect(classifyAddress(address)).toBe(cls);
      expect(isPublicAddress(address)).toBe(cls === 'public');
    });
  }
});

describe('literalAddress', () => {
  it('recognises IP literals as URL hostnames give them, and not names', () => {
    expect(literalAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(literalAddress('[::1]')).toBe('::1');
    expect(literalAddress(new URL('http://2130706433/').hostname)).toBe('127.0.0.1'); // URL normalises decimal IPv4
    expect(literalAddress(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[::ffff:127.0.0.1]/').hostname)).toBe('::ffff:7f00:1');
    expect(literalAddress('localhost')).toBeUndefined();
    expect(literalAddress('example.com')).toBeUndefined();
  });
});
