import assert from 'node:assert/strict';
import { MAX_HEAD_BYTES, parseRequestHead, protocolOf, type HeadResult } from '../../src/balancer/http/requestHead';

const parse = (text: string): HeadResult => parseRequestHead(Buffer.from(text, 'latin1'));

function head(text: string) {
  const result = parse(text);
  assert.ok('head' in result, JSON.stringify(result));
  return result.head;
}

function refused(text: string, status: number, reason: RegExp): void {
  const result = parse(text);
  assert.ok('refused' in result, JSON.stringify(result));
  assert.equal(result.refused.status, status);
  assert.match(result.refused.reason, reason);
}

describe('HTTP request heads', () => {
  it('a request line and headers parse, with where the body starts', () => {
    const text = 'POST /submit?x=1 HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5\r\n\r\nhello';
    assert.deepEqual(head(text), {
      method: 'POST',
      target: '/submit?x=1',
      version: '1.1',
      headers: [['Host', 'example.test'], ['Content-Length', '5']],
      host: 'example.test',
      contentLength: 5,
      chunked: false,
      keepAlive: true,
      expectContinue: false,
      upgrade: false,
      headBytes: text.length - 5,
    });
  });

  it('HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it', () => {
    assert.equal(head('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n').keepAlive, false);
    assert.equal(head('GET / HTTP/1.0\r\n\r\n').keepAlive, false);
    assert.equal(head('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n').keepAlive, true);
  });

  it('chunked bodies, 100-continue and upgrades are recognised', () => {
    assert.equal(head('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n').chunked, true);
    assert.equal(head('POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n').expectContinue, true);
    assert.equal(head('GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n').upgrade, true);
    assert.equal(head('GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n').upgrade, false, 'Upgrade without Connection: upgrade');
  });

  it('a head is incomplete until its blank line, and refused with 431 once over 16 KiB', () => {
    assert.deepEqual(parse('GET / HTTP/1.1\r\nHost: a\r\n'), { incomplete: true });
    refused(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`, 431, /over 16384 bytes/);
    refused(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`, 431, /over 16384 bytes/);
  });

  it('request smuggling is refused: both Content-Length and Transfer-Encoding, or differing lengths', () => {
    refused('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 400, /both Content-Length and Transfer-Encoding/);
    refused('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n', 400, /differing Content-Length headers \(5, 6\)/);
    refused('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n', 400, /differing Content-Length/);
    refused('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n', 400, /Content-Length "-1" is not a number/);
    refused('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501, /only chunked/);
    refused('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400, /HTTP\/1\.0 request/);
    assert.equal(head('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 05\r\n\r\n').contentLength, 5, 'the same length twice is one length');
  });

  it('malformed request lines and headers are refused with 400, naming what is wrong', () => {
    refused('GET /\r\n\r\n', 400, /malformed request line "GET \/"/);
    refused('GET / HTTP/1.1 extra\r\n\r\n', 400, /malformed request line/);
    refused('G(T / HTTP/1.1\r\n\r\n', 400, /malformed method/);
    refused('GET / HTTP/2.0\r\n\r\n', 505, /HTTP\/2\.0 is not supported/);
    refused('GET / HTTQ/1.1\r\n\r\n', 400, /malformed protocol/);
    refused('GET / HTTP/1.1\r\nHost : a\r\n\r\n', 400, /malformed header line "Host : a"/);
    refused('GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n', 400, /line folding/);
    refused('GET / HTTP/1.1\r\nX-A: a\nb\r\n\r\n', 400, /control character/);
    refused('GET / HTTP/1.1\r\nNoColon\r\n\r\n', 400, /malformed header line/);
    refused('GET / HTTP/1.1\r\n\r\n', 400, /no Host header/);
    refused('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, /more than one Host header/);
  });

  it('TLS and HTTP/2 connections are told apart from HTTP/1 by their first bytes', () => {
    assert.equal(protocolOf(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])), 'tls');
    assert.equal(protocolOf(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')), 'h2');
    assert.equal(protocolOf(Buffer.from('GET / HTTP/1.1\r\n')), 'http/1');
  });
});
