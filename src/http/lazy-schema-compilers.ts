/**
 * Fastify's JSON Schema compilers (ajv with its formats for validation, fast-json-stringify for
 * response serialisation), loaded when a route first declares a schema instead of when an
 * instance is created. No route here declares one (the protocol code reads and checks requests
 * itself), so a running server never loads ajv; fastify would otherwise require it, some hundred
 * modules, for every instance. Given as fastify's documented `schemaController.compilersFactory`
 * option: each factory requires fastify's own default, from fastify's location, on first call.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/** One pair per fastify instance, as fastify makes its defaults (each keeps its own cache). */
export function lazySchemaCompilers(): CompilersFactory {
  let validator: ValidatorFactory | undefined;
  let serializer: SerializerFactory | undefined;
  const fromFastify = () => createRequire(createRequire(import.meta.url).resolve('fastify'));
  return {
    buildValidator: (externalSchemas, options) => {
      validator ??= (fromFastify()('@fastify/ajv-compiler') as () => ValidatorFactory)();
      return validator(externalSchemas, options);
    },
    buildSerializer: (externalSchemas, options) => {
      serializer ??= (fromFastify()('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();
      return serializer(externalSchemas, options);
    },
  };
}
