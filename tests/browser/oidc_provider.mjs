// The identity provider of the OIDC login test: npm oidc-provider, on the port and for the
// console callback it is given. Its access tokens are JWTs for the audience "thidua" carrying
// the role and unit claims, as Keycloak's are in production; oidc-provider-mock (PyPI) was
// not used because its access tokens are opaque strings no service can verify.
//
// Anyone logs in with any password; the login names the person: "office", or
// "unit_head@<unit code>" for a unit head.
//
// Environment: OIDC_PROVIDER_MODULE (the package's lib/index.js), OIDC_PORT,
// OIDC_REDIRECT_URI (the console's callback), OIDC_CLIENT_ID.
import { pathToFileURL } from 'node:url';

const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER_MODULE).href);

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const audience = 'thidua';
// A resource indicator is an absolute URI; the token's aud is the audience the services expect.
const resource = 'urn:thidua:api';
const clientId = process.env.OIDC_CLIENT_ID;

function person(login) {
  const [role, unit] = login.split('@');
  return unit ? { role, unit } : { role };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    // A public client: no secret, so the code is bound to the console's PKCE verifier.
    token_endpoint_auth_method: 'none',
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub', 'role', 'unit'], profile: ['name'] },
  // The role and unit in the ID token too, whatever the console reads them from.
  conformIdTokenClaims: false,
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, name: sub, ...person(sub) };
      },
    };
  },
  // First-party console: no consent screen, the grant covers the API.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['role', 'unit', 'name']);
    grant.addResourceScope(resource, 'openid profile');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: 'openid profile',
        audience,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 3600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  async extraTokenClaims(ctx, token) {
    return token.accountId ? person(token.accountId) : undefined;
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
