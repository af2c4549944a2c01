/**
 * A Redis adapter for node-oidc-provider, the standard shape of its example adapter
 * (example/adapters/redis.js, written for ioredis) on node-redis: one JSON value per model
 * instance (a hash for consumable ones), a list per grant for revocation, uid/userCode indexes,
 * expiry by Redis TTL. Used only by the benchmark's reference server.
 */
import { createClient } from 'redis';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** A connected node-redis client (the factory fixes its type parameters). */
export async function connectRedis(url: string) {
  const client = createClient({ url });
  await client.connect();
  return client;
}
type Client = Awaited<ReturnType<typeof connectRedis>>;

const consumable = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export function redisAdapterFactory(client: Client, prefix: string): new (name: string) => Adapter {
  const grantKeyFor = (id: string) => `${prefix}grant:${id}`;
  const userCodeKeyFor = (code: string) => `${prefix}userCode:${code}`;
  const uidKeyFor = (uid: string) => `${prefix}uid:${uid}`;

  return class RedisAdapter implements Adapter {
    constructor(readonly name: string) {}

    key(id: string): string {
      return `${prefix}${this.name}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const multi = client.multi();
      if (consumable.has(this.name)) multi.hSet(key, { payload: JSON.stringify(payload) });
      else multi.set(key, JSON.stringify(payload));
      if (expiresIn) multi.expire(key, expiresIn);
      if (grantable.has(this.name) && payload.grantId) {
        const grantKey = grantKeyFor(payload.grantId);
        multi.rPush(grantKey, key);
        // A grant lives as long as its longest-lived token.
        const ttl = await client.ttl(grantKey);
        if (expiresIn > ttl) multi.expire(grantKey, expiresIn);
      }
      if (payload.userCode) {
        multi.set(userCodeKeyFor(payload.userCode), id);
        if (expiresIn) multi.expire(userCodeKeyFor(payload.userCode), expiresIn);
      }
      if (payload.uid) {
        multi.set(uidKeyFor(payload.uid), id);
        if (expiresIn) multi.expire(uidKeyFor(payload.uid), expiresIn);
      }
      await multi.exec();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (consumable.has(this.name)) {
        const data = await client.hGetAll(this.key(id));
        if (!data?.payload) return undefined;
        const { payload, consumed } = data;
        return { ...(JSON.parse(payload) as AdapterPayload), ...(consumed ? { consumed: Number(consumed) } : {}) };
      }
      const data = await client.get(this.key(id));
      return data ? (JSON.parse(data) as AdapterPayload) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await client.get(uidKeyFor(uid));
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await client.get(userCodeKeyFor(userCode));
      return id ? this.find(id) : undefined;
    }

    async destroy(id: string): Promise<void> {
      await client.del(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const multi = client.multi();
      const tokens = await client.lRange(grantKeyFor(grantId), 0, -1);
      for (const t of tokens) multi.del(t);
      multi.del(grantKeyFor(grantId));
      await multi.exec();
    }

    async consume(id: string): Promise<void> {
      await client.hSet(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
    }
  };
}
