/** Redis URLs: validation, BullMQ connection options, and a quick reachability check. */
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** A parsed `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). */
export interface RedisTarget {
  /** The URL as given. */
  url: string;
  /** Host name or address. */
  host: string;
  /** TCP port (default 6379). */
  port: number;
  /** ACL user name, if given. */
  username?: string;
  /** Password, if given. */
  password?: string;
  /** Database index (default 0). */
  db: number;
  /** Whether the connection uses TLS (`rediss://`). */
  tls: boolean;
}

/** Parse and check a Redis URL; a TypeError naming `where` for anything else. */
export function parseRedisUrl(url: unknown, where: string): RedisTarget {
  if (typeof url !== 'string' || url.length === 0) throw new TypeError(`${where}: expected a Redis URL like redis://127.0.0.1:6379, got ${typeof url === 'string' ? 'an empty string' : String(url)}`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`${where}: ${JSON.stringify(url)} is not a URL; expected redis://host:port[/db]`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new TypeError(`${where}: expected a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  if (!u.hostname) throw new TypeError(`${where}: ${JSON.stringify(url)} has no host`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) throw new TypeError(`${where}: the database of ${JSON.stringify(url)} must be a non-negative integer, got ${JSON.stringify(path)}`);
  return {
    url,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    tls: u.protocol === 'rediss:',
  };
}

/**
 * ioredis options for BullMQ: commands wait through a dropped connection (maxRetriesPerRequest
 * null), reconnecting with a backoff of 100 ms per attempt up to 2 s.
 */
export function connectionOptions(t: RedisTarget): BullRedisOptions {
  return {
    host: t.host, port: t.port, username: t.username, password: t.password, db: t.db, tls: t.tls ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
}

/** Throws a clear Error unless a Redis answers PING at `t` within `timeoutMs`. */
export async function checkRedisReachable(t: RedisTarget, where: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis({
    ...connectionOptions(t), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false,
  });
  client.on('error', () => {}); // reported by connect() below
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    throw new Error(`${where}: cannot reach Redis at ${t.url}: ${(e as Error).message}`, { cause: e });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
