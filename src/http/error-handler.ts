import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type ErrorCode, ERROR_STATUS } from '../shared/errors.js';

interface Envelope {
  error: { code: ErrorCode; message: string; requestId: string } & Record<string, unknown>;
}

export function envelope(
  req: FastifyRequest,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): Envelope {
  return { error: { ...details, code, message, requestId: String(req.id) } };
}

function fieldPath(context: string | undefined, path: readonly PropertyKey[]): string {
  const parts = path.map(String);
  return parts.length > 0 ? parts.join('.') : (context ?? 'body');
}

/** One mapper from anything thrown to the error envelope of SPEC §6. */
export function errorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) {
    // A refusal that knows when it ends (a quota) says so to clients and proxies too.
    if (typeof error.details.retryAfter === 'number') reply.header('retry-after', String(error.details.retryAfter));
    return reply.code(error.status).send(envelope(req, error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => {
      // fastify-type-provider-zod puts the issue path in instancePath ("/a/0/b"); an unknown key
      // of a strict object sits at its parent's path with the key itself in params.keys.
      const unknownKeys = (v.params as { keys?: unknown }).keys;
      const path = [
        ...(v.instancePath ?? '').split('/').filter(Boolean),
        ...(Array.isArray(unknownKeys) && unknownKeys.length > 0 ? [String(unknownKeys[0])] : []),
      ];
      return { field: fieldPath(error.validationContext, path), message: v.message ?? 'invalid' };
    });
    const first = issues[0] ?? { field: error.validationContext ?? 'body', message: 'invalid' };
    return reply.code(400).send(
      envelope(req, 'validation_failed', `${first.field}: ${first.message}`, {
        field: first.field,
        in: error.validationContext,
        issues,
      }),
    );
  }
  if (isResponseSerializationError(error)) {
    req.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return reply.code(500).send(envelope(req, 'internal_error', 'Internal server error'));
  }
  const status = (error as FastifyError).statusCode;
  if (status === 429) {
    return reply.code(429).send(envelope(req, 'rate_limited', 'Too many requests, try again later'));
  }
  if (status === 413) return reply.code(413).send(envelope(req, 'payload_too_large', 'Request body is too large'));
  if (status === 415) {
    return reply.code(415).send(envelope(req, 'unsupported_media_type', 'Send the body as application/json'));
  }
  if (status !== undefined && status >= 400 && status < 500) {
    // Malformed JSON, empty body where one is needed, and other client mistakes Fastify catches.
    return reply.code(400).send(envelope(req, 'validation_failed', error.message, { field: 'body' }));
  }
  req.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send(envelope(req, 'internal_error', 'Internal server error'));
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(ERROR_STATUS.not_found).send(envelope(req, 'not_found', 'No such route'));
}
