// The peer server of bench/race.sh: node-oidc-provider with its default in-memory adapter, set up
// to answer the same requests the race sends to Castgate.
//
//   node server.js            with BENCH_PORT, BENCH_ISSUER, BENCH_KEYS and BENCH_CLIENTS set
//
// BENCH_KEYS is a file holding the private signing keys (an RS256 and an ES256 JWK). When it is
// missing they are generated and written there, so a second start reuses them, as a second start
// of Castgate reuses the keys in its database.
// BENCH_CLIENTS is a JSON object {"opaque": {id, secret}, "es256": {...}, "rs256": {...}}: one
// client_credentials client per access token format, authenticated with client_secret_basic, so
// that the token requests can carry exactly Castgate's body (grant_type and scope only).
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.BENCH_PORT);
const issuer = process.env.BENCH_ISSUER;
const keysFile = process.env.BENCH_KEYS;
const clients = JSON.parse(process.env.BENCH_CLIENTS);
if (!port || !issuer || !keysFile) {
  throw new Error('BENCH_PORT, BENCH_ISSUER, BENCH_KEYS and BENCH_CLIENTS are required');
}

// Castgate's sizes: RSA 2048 and P-256.
function signingKeys() {
  if (existsSync(keysFile)) {
    return JSON.parse(readFileSync(keysFile, 'utf8'));
  }
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const keys = {
    keys: [
      { ...rsa, kid: 'bench-rs256', alg: 'RS256', use: 'sig' },
      { ...ec, kid: 'bench-es256', alg: 'ES256', use: 'sig' },
    ],
  };
  writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

// A day, Castgate's default access token lifetime.
const accessTokenTTL = 86400;

// Each JWT client gets its own resource server by default, so its token request needs no
// `resource` parameter; a request without one from the opaque client gets an opaque token.
const resourceOf = {
  [clients.es256.id]: 'https://es256.bench.example/',
  [clients.rs256.id]: 'https://rs256.bench.example/',
};
const algOf = {
  'https://es256.bench.example/': 'ES256',
  'https://rs256.bench.example/': 'RS256',
};

const client = ({ id, secret }) => ({
  client_id: id,
  client_secret: secret,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'broadcaster',
});

const provider = new Provider(issuer, {
  clients: [client(clients.opaque), client(clients.es256), client(clients.rs256)],
  jwks: signingKeys(),
  scopes: ['openid', 'offline_access', 'broadcaster'],
  ttl: { ClientCredentials: accessTokenTTL },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, requestingClient, oneOf) => oneOf ?? resourceOf[requestingClient.clientId],
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        const alg = algOf[resourceIndicator];
        if (!alg) {
          throw new Provider.errors.InvalidTarget();
        }
        return {
          scope: 'broadcaster',
          audience: resourceIndicator,
          accessTokenTTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        };
      },
    },
  },
});

const server = provider.listen(port, '127.0.0.1');
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
