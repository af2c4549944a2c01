import { describe, expect, it } from 'vitest';
import { isLoopbackIpHost, redirectUriMatches } from '../../src/clients/loopback-redirect.js';

describe('redirectUriMatches: exact match for everything but native loopback IP URIs', () => {
  it('matches identical strings for every application type', () => {
    for (const t of ['web', 'browser', 'native'] as const) {
      expect(redirectUriMatches('https://a.example.no/cb', 'https://a.example.no/cb', t)).toBe(true);
      expect(redirectUriMatches('http://127.0.0.1:8080/cb', 'http://127.0.0.1:8080/cb', t)).toBe(true);
    }
  });

  it.each([
    ['http://127.0.0.1/cb', 'http://127.0.0.1:51234/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:9090/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1/cb'],
    ['http://[::1]/cb', 'http://[::1]:65535/cb'],
    ['http://[::1]:1/cb?x=1', 'http://[::1]:40000/cb?x=1'],
    ['http://127.0.0.1', 'http://127.0.0.1:5000'],
  ])('native: %s matches %s on another port (RFC 8252 §7.3)', (registered, presented) => {
    expect(redirectUriMatches(registered, presented, 'native')).toBe(true);
  });

  it.each([
    ['http://127.0.0.1/cb', 'http://127.0.0.1:51234/cb', 'web'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:51234/cb', 'browser'],
    ['http://[::1]/cb', 'http://[::1]:8080/cb', 'web'],
  ] as const)('%s does not match %s for a %s client', (registered, presented, type) => {
    expect(redirectUriMatches(registered, presented, type)).toBe(false);
  });

  it.each([
    ['http://localhost/cb', 'http://localhost:8080/cb', 'localhost is not a loopback IP literal (RFC 8252 §8.3)'],
    ['http://localhost:3000/cb', 'http://localhost:3001/cb', 'localhost is matched exactly'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb2', 'another path'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb/', 'a trailing slash'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb?x=1', 'an added query'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb#f', 'a fragment'],
    ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'the other loopback address'],
    ['http://127.0.0.1/cb', 'http://127.0.0.2:8080/cb', 'another address in 127/8'],
    ['http://127.0.0.1/cb', 'https://127.0.0.1:8080/cb', 'https instead of http'],
    ['https://127.0.0.1/cb', 'https://127.0.0.1:8080/cb', 'a registered https loopback URI'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:0/cb', 'port 0'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:65536/cb', 'a port above 65535'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:/cb', 'an empty port'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:80a/cb', 'a port that is not a number'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1.evil.example:80/cb', 'a host that only begins like the loopback address'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:8080@evil.example/cb', 'user information pointing elsewhere'],
    ['http://127.0.0.1/cb', 'HTTP://127.0.0.1:8080/cb', 'another spelling of the scheme'],
    ['https://a.example.no/cb', 'https://a.example.no:8443/cb', 'a non-loopback host'],
  ])('native: %s does not match %s (%s)', (registered, presented) => {
    expect(redirectUriMatches(registered, presented, 'native')).toBe(false);
  });
});

describe('isLoopbackIpHost', () => {
  it('knows the two loopback IP literals and nothing else', () => {
    expect(isLoopbackIpHost('127.0.0.1')).toBe(true);
    expect(isLoopbackIpHost('[::1]')).toBe(true);
    for (const h of ['localhost', '127.0.0.2', '::1', 'example.no']) expect(isLoopbackIpHost(h)).toBe(false);
  });
});
