/** `ansattporten keys …`: the provider's signing keys and their rotation. */
import { KeyRotation, RotationRefused, rotationPolicyFrom } from '../tokens/key-rotation.js';
import { parseKek, protectSigningKeys, readKekFile } from '../tokens/key-encryption.js';
import { formatTable, UsageError } from './cli-args.js';
import { CLI_ACTOR, Refused, iso, noMore, type CommandContext } from './cli-context.js';

export async function keyCommand({ config, io, json, args, command, rest, open }: CommandContext): Promise<number> {
  const s = await open();
  const rotation = new KeyRotation(s.keys, io.clock, rotationPolicyFrom(config.keys));
  switch (command) {
    case 'list': {
      noMore(rest);
      await rotation.ensureKeys();
      const now = io.clock.now();
      const keys = (await s.keys.listSigningKeys()).map((k) => ({
        kid: k.kid,
        alg: k.alg,
        state: k.state,
        created_at: iso(k.createdAt),
        ...(k.activatedAt !== undefined ? { activated_at: iso(k.activatedAt) } : {}),
        ...(k.publishUntil !== undefined ? { publish_until: iso(k.publishUntil) } : {}),
        published: k.state !== 'retired' || (k.publishUntil ?? 0) > now,
      }));
      if (json) io.stdout(JSON.stringify(keys, null, 2));
      else io.stdout(formatTable(['KID', 'STATE', 'CREATED', 'ACTIVATED', 'PUBLISHED UNTIL'],
        keys.map((k) => [k.kid, k.state, k.created_at, k.activated_at ?? '', k.state === 'retired' ? (k.publish_until ?? '') : k.published ? 'while in use' : ''])));
      return 0;
    }
    case 'rotate': {
      noMore(rest);
      const before = (await s.keys.listSigningKeys()).map((k) => ({ kid: k.kid, state: k.state }));
      try {
        const r = await rotation.rotate({ force: args.flags.has('force') });
        await s.audit?.append({ at: io.clock.now(), actor: CLI_ACTOR.actor, action: 'key.rotate', target: r.current, before, after: r });
        io.stdout(json ? JSON.stringify(r, null, 2) : `rotated: ${r.current} now signs; ${r.retired} retired (stays published); ${r.next} published as the next key`);
        return 0;
      } catch (e) {
        if (e instanceof RotationRefused) throw new Refused(`rotation refused: ${e.message}`, { error: 'rotation_refused', error_description: e.message });
        throw e;
      }
    }
    case 'rewrap': {
      noMore(rest);
      const file = args.values.get('new-key-file');
      if (!file && !config.newKeyEncryptionKey) throw new UsageError('keys rewrap needs --new-key-file F (or NEW_KEY_ENCRYPTION_KEY)');
      const next = file ? readKekFile(file) : parseKek(config.newKeyEncryptionKey!, 'NEW_KEY_ENCRYPTION_KEY');
      const store = protectSigningKeys(s, config);
      await store.migrate();
      const moved = await store.rewrap(next);
      await s.audit?.append({ at: io.clock.now(), actor: CLI_ACTOR.actor, action: 'key.rewrap', target: next.id, after: { kek: next.id, kids: moved } });
      io.stdout(json ? JSON.stringify({ kek: next.id, rewrapped: moved }, null, 2)
        : `re-encrypted ${moved.length} signing key(s) under key-encryption key ${next.id}; restart every instance with that key (KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE)`);
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command: keys ${command}` : 'missing command after "keys"');
  }
}
