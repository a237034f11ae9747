const endpoints: [string, string][] = [
  ['GET /api/v1/flags', 'the whole flag set, with ETag (SDK key or any role)'],
  ['GET · PUT · DELETE /api/v1/flags/{key}', 'one flag; writes take If-Match: "<version>"'],
  ['POST /api/v1/flags/{key}/rollback', 'kill switch: turns the flag off for everyone'],
  ['GET /api/v1/flags/{key}/audit', 'who changed what, with a diff'],
  ['GET · POST /api/v1/tokens, DELETE /api/v1/tokens/{id}', 'API tokens and SDK keys (admin)'],
  ['POST · DELETE /api/v1/session', 'browser sign-in and sign-out'],
];

export default function Home() {
  return (
    <main>
      <h1>flaglens control plane</h1>
      <p>
        Stores and serves the flags that route traffic between AI models, with roles, an append-only audit trail and an instant kill switch.
        The management UI is on its way; until then, use the API with the admin token printed when the server first started.
      </p>
      <h2>API</h2>
      <ul>
        {endpoints.map(([route, what]) => (
          <li key={route}>
            <code>{route}</code> — {what}
          </li>
        ))}
      </ul>
    </main>
  );
}
