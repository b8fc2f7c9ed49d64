/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1: the endpoints @huggingface/hub calls to
 * sign in (whoami-v2), list and create dataset repositories, and commit (preupload, the Git
 * LFS batch with a basic transfer, the LFS upload itself, the NDJSON commit). It checks the
 * token on every call as the Hub does and keeps what each commit held, so a test can compare
 * the files, card and private flag with what the app was asked to push.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInUser {
  name: string;
  orgs: string[];
  role: 'read' | 'write';
  /** Owners a fine-grained token may write to (default: the user and every org). */
  writes?: string[];
}

export interface StandInRepo {
  owner: string;
  name: string;
  private: boolean;
  /** Files of the latest commit, by path. */
  files: Map<string, Buffer>;
  commits: { summary: string; paths: string[]; lfsPaths: string[] }[];
}

export interface HubStandIn {
  url: string;
  repos: Map<string, StandInRepo>;
  /** Every create request's JSON body, as received. */
  createRequests: Record<string, unknown>[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export async function startHubStandIn(
  tokens: Record<string, StandInUser>,
  existing: { repo: string; private: boolean; owner: string }[] = [],
): Promise<HubStandIn> {
  const repos = new Map<string, StandInRepo>();
  for (const r of existing) {
    repos.set(r.repo, {
      owner: r.owner,
      name: r.repo.split('/')[1]!,
      private: r.private,
      files: new Map(),
      commits: [],
    });
  }
  const lfs = new Map<string, Buffer>();
  const createRequests: Record<string, unknown>[] = [];
  let base = '';

  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'authorization, content-type, accept, x-request-id',
    );
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Link, X-Request-Id');
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    handle(req, res).catch((err: unknown) => json(res, 500, { error: String(err) }));
  });

  const mayWrite = (user: StandInUser, owner: string) =>
    user.role === 'write' && (user.writes ?? [user.name, ...user.orgs]).includes(owner);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    // LFS uploads carry no token on the real Hub either (the href is presigned).
    const upload = /^\/lfs-upload\/([0-9a-f]{64})$/.exec(path);
    if (upload && req.method === 'PUT') {
      const bytes = await readBody(req);
      const oid = createHash('sha256').update(bytes).digest('hex');
      if (oid !== upload[1]) return json(res, 400, { error: 'sha256 mismatch' });
      lfs.set(oid, bytes);
      res.writeHead(200, { ETag: `"${oid}"` });
      return res.end();
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? tokens[token] : undefined;
    if (!user) return json(res, 401, { error: 'Invalid credentials in Authorization header' });

    if (path === '/api/whoami-v2') {
      return json(res, 200, {
        type: 'user',
        id: `id-${user.name}`,
        name: user.name,
        fullname: user.name,
        email: `${user.name}@example.test`,
        emailVerified: true,
        isPro: false,
        canPay: false,
        avatarUrl: '',
        periodEnd: null,
        billingMode: 'prepaid',
        orgs: user.orgs.map((o) => ({ type: 'org', id: `id-${o}`, name: o, fullname: o })),
        auth: {
          type: 'access_token',
          accessToken: { displayName: 'test', role: user.role, createdAt: '2026-01-01T00:00:00Z' },
        },
      });
    }
    if (path === '/api/datasets' && req.method === 'GET') {
      const author = url.searchParams.get('author');
      const list = [...repos.entries()]
        .filter(([, r]) => r.owner === author)
        .map(([id, r]) => ({
          _id: `_${id}`,
          id,
          private: r.private,
          downloads: 0,
          likes: 0,
          gated: false,
          lastModified: '2026-01-01T00:00:00Z',
        }));
      return json(res, 200, list);
    }
    if (path === '/api/repos/create' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as Record<string, unknown>;
      createRequests.push(body);
      const owner = String(body.organization ?? user.name);
      const id = `${owner}/${String(body.name)}`;
      if (!mayWrite(user, owner))
        return json(res, 403, {
          error: `You don't have the rights to create a repo under ${owner}`,
        });
      if (repos.has(id))
        return json(res, 409, {
          error: 'You already created this dataset repo',
          url: `${base}/datasets/${id}`,
        });
      repos.set(id, {
        owner,
        name: String(body.name),
        private: body.visibility === 'private' || body.private === true,
        files: new Map(),
        commits: [],
      });
      return json(res, 200, { url: `${base}/datasets/${id}`, name: id, id: `_${id}` });
    }
    const lfsBatch = /^\/datasets\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path);
    if (lfsBatch && req.method === 'POST') {
      const repo = repos.get(lfsBatch[1]!);
      if (!repo) return json(res, 404, { error: 'Repository not found' });
      if (!mayWrite(user, repo.owner)) return json(res, 403, { error: 'Forbidden' });
      const body = JSON.parse((await readBody(req)).toString('utf8')) as {
        objects: { oid: string; size: number }[];
      };
      return json(res, 200, {
        transfer: 'basic',
        objects: body.objects.map((o) => ({
          oid: o.oid,
          size: o.size,
          ...(!lfs.has(o.oid) && { actions: { upload: { href: `${base}/lfs-upload/${o.oid}` } } }),
        })),
      });
    }
    const api = /^\/api\/datasets\/([^/]+\/[^/]+)\/(preupload|commit)\/main$/.exec(path);
    if (api && req.method === 'POST') {
      const repo = repos.get(api[1]!);
      if (!repo) return json(res, 404, { error: 'Repository not found' });
      if (!mayWrite(user, repo.owner))
        return json(res, 403, { error: 'You do not have write access' });
      const body = (await readBody(req)).toString('utf8');
      if (api[2] === 'preupload') {
        const { files } = JSON.parse(body) as { files: { path: string }[] };
        return json(res, 200, {
          files: files.map((f) => ({
            path: f.path,
            uploadMode: f.path.endsWith('.parquet') ? 'lfs' : 'regular',
          })),
        });
      }
      const lines = body
        .split('\n')
        .map((l) => JSON.parse(l) as { key: string; value: Record<string, string> });
      const header = lines.find((l) => l.key === 'header')?.value;
      const files = new Map<string, Buffer>();
      const lfsPaths: string[] = [];
      for (const { key, value } of lines) {
        if (key === 'file')
          files.set(
            value.path!,
            Buffer.from(value.content!, value.encoding === 'base64' ? 'base64' : 'utf8'),
          );
        if (key === 'lfsFile') {
          const bytes = lfs.get(value.oid!);
          if (!bytes) return json(res, 422, { error: `LFS object ${value.oid} was not uploaded` });
          files.set(value.path!, bytes);
          lfsPaths.push(value.path!);
        }
      }
      for (const [p, b] of files) repo.files.set(p, b);
      repo.commits.push({ summary: header?.summary ?? '', paths: [...files.keys()], lfsPaths });
      const oid = createHash('sha1').update(body).digest('hex');
      return json(res, 200, {
        success: true,
        commitOid: oid,
        commitUrl: `${base}/datasets/${api[1]}/commit/${oid}`,
      });
    }
    return json(res, 404, { error: `No route ${req.method} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    repos,
    createRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
