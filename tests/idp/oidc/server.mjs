// A real OpenID Connect provider for Samverk's SSO tests: node-oidc-provider (npm,
// package-lock.json beside this file) on 127.0.0.1, started by tests/idp/oidc/__init__.py.
//
//   node server.mjs CONFIG.json
//
// CONFIG: { "clients": [{client_id, client_secret, redirect_uris}],
//           "accounts": [{sub, password, email, email_verified, given_name, family_name,
//                         acr, groups}] }
// It listens on a free port, then prints one line "listening http://127.0.0.1:<port>" (the
// issuer). Its sign-in page is a plain form (user name and password of an account); the
// login's acr is the account's (how strongly that person "authenticated"), and consent is
// given without asking (the tests are about Samverk, not about this provider's pages).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = new Map(config.accounts.map((account) => [account.sub, account]));
const acrValues = [...new Set(config.accounts.map((a) => a.acr).filter(Boolean))];

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function loginPage(uid, message) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title></head>
<body><main><h1>Test IdP sign-in</h1>
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    acrValues,
    claims: {
      // acr in every ID token, as Keycloak, ADFS and Entra ID send it.
      openid: ['sub', 'acr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'groups'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // Test-only keys for the cookies; they sign nothing that leaves the tests.
    cookies: { keys: ['samverk-test-idp-cookie-key'] },
    async findAccount(ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const { password, acr, ...claims } = account;
          return {
            ...claims,
            name: [account.given_name, account.family_name].filter(Boolean).join(' '),
          };
        },
      };
    },
  });
  provider.proxy = false;

  provider.use(async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { uid, prompt, params, session } = details;
    if (prompt.name === 'login') {
      if (ctx.method === 'GET') {
        ctx.type = 'html';
        ctx.body = loginPage(uid);
        return undefined;
      }
      const form = await readForm(ctx.req);
      const account = accounts.get(form.get('username') || '');
      if (!account || account.password !== form.get('password')) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.body = loginPage(uid, 'Wrong username or password.');
        return undefined;
      }
      const login = { accountId: account.sub, amr: ['pwd'] };
      if (account.acr) login.acr = account.acr;
      return provider.interactionFinished(ctx.req, ctx.res, { login }, {
        mergeWithLastSubmission: false,
      });
    }
    // consent: granted for whatever was asked.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, {
      mergeWithLastSubmission: true,
    });
  });

  server.on('request', provider.callback());
  console.log(`listening ${issuer}`);
});
