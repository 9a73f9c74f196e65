import { z } from 'zod';
import type { RouteDef } from './route.ts';

const ZError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** A declared upload: its text fields from their zod schema, and the file part. */
function multipartSchema(u: NonNullable<RouteDef['upload']>) {
  const fields = json(u.fields) as { properties?: Record<string, unknown>; required?: string[] };
  return {
    type: 'object',
    properties: { ...fields.properties, file: { type: 'string', format: 'binary', description: u.file } },
    required: ['file', ...(fields.required ?? [])],
    additionalProperties: false,
  };
}

/** OpenAPI 3.1, generated from the same zod schemas that validate the requests. */
export function buildOpenApi(routes: RouteDef[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = '/api/v1' + r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...Object.keys((r.params as z.ZodObject | undefined)?.shape ?? {}).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(((r.query as z.ZodObject | undefined)?.shape ?? {}) as Record<string, z.ZodType>).map(([name, s]) => ({
        name, in: 'query', required: false, schema: json(s),
      })),
      ...(r.idempotent ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }] : []),
    ];
    const roles = r.roles === 'public' ? 'anyone' : r.roles === 'any' ? 'any signed-in user' : r.roles.join(', ');
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      description: `Who: ${roles}.`,
      tags: [r.tag],
      ...(r.roles === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body || r.upload ? { requestBody: { required: true, content: { ...(r.body ? { 'application/json': { schema: json(r.body) } } : {}), ...(r.upload ? { 'multipart/form-data': { schema: multipartSchema(r.upload) } } : {}) } } } : {}),
      responses: {
        '200': { description: 'OK', content: Object.fromEntries((r.produces ?? ['application/json']).map((t) => [t, {}])) },
        default: { description: 'Error (contract format)', content: { 'application/json': { schema: json(ZError) } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'fol-triage API', version, description: 'Seized-substance triage for a CBP Forward Operating Lab.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'fol_session' } } },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}
