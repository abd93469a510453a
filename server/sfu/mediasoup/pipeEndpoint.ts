import net from 'node:net';
import type { types } from 'mediasoup';
import type { PipeEndpoint } from '../Sfu.js';
import { PipeFailedError } from '../errors.js';

const CRYPTO_SUITES: readonly string[] = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] satisfies types.SrtpCryptoSuite[];

/** This node's end of a pipe, as the other node connects to it. */
export function localEndpoint(transport: types.PipeTransport): PipeEndpoint {
  const { localAddress, localPort } = transport.tuple;
  const srtp = transport.srtpParameters;
  return { ip: localAddress, port: localPort, ...(srtp && { srtpParameters: { cryptoSuite: srtp.cryptoSuite, keyBase64: srtp.keyBase64 } }) };
}

/** The other node's end, checked, as `PipeTransport.connect` takes it; pipes always run SRTP. */
export function remoteEndpoint(endpoint: PipeEndpoint): { ip: string; port: number; srtpParameters: types.SrtpParameters } {
  const { ip, port, srtpParameters: srtp } = endpoint ?? {};
  if (typeof ip !== 'string' || net.isIP(ip) === 0 || ip === '0.0.0.0' || ip === '::') throw new PipeFailedError(`a pipe endpoint's ip must be an address to send to (got ${String(ip)})`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new PipeFailedError(`a pipe endpoint's port must be 1-65535 (got ${String(port)})`);
  if (!srtp || !CRYPTO_SUITES.includes(srtp.cryptoSuite) || typeof srtp.keyBase64 !== 'string' || srtp.keyBase64.length === 0) {
    throw new PipeFailedError('a pipe endpoint needs SRTP parameters with a known crypto suite and a key');
  }
  return { ip, port, srtpParameters: { cryptoSuite: srtp.cryptoSuite as types.SrtpCryptoSuite, keyBase64: srtp.keyBase64 } };
}
