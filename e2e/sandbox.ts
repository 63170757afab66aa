// The GitLab sandbox global-setup started (in the runner process), as the tests see it: its address,
// its seeded users (alice first) and its OAuth application; and a few calls to its admin API.
export interface SandboxInfo {
  url: string;
  users: { username: string; password: string; token: string }[];
  oauthApplication: { clientId: string; clientSecret: string; redirectUris: string[] };
}

export function sandbox(): SandboxInfo {
  const raw = process.env.VB_E2E_SANDBOX;
  if (!raw) throw new Error('VB_E2E_SANDBOX is not set: run the tests with `npx playwright test`');
  return JSON.parse(raw) as SandboxInfo;
}

export function sandboxUser(username: string): SandboxInfo['users'][number] {
  const user = sandbox().users.find((item) => item.username === username);
  if (!user) throw new Error(`the sandbox has no user ${username}`);
  return user;
}

/** Calls the sandbox's admin API (`/-/sandbox/...`, no token); fails on anything but 200. */
export async function sandboxAdmin(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${sandbox().url}/-/sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox admin ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
