// Preloaded (NODE_OPTIONS=--require) into a production process and its children: loading a
// development tool is an error that names it, through require() and through import alike.
const Module = require('node:module');
const FORBIDDEN = /^(tsx|pino-pretty|typescript|vitest|esbuild|supertest)(\/|$)/;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (FORBIDDEN.test(request)) throw new Error(`development tool loaded in production: ${request}`);
  return resolve.call(this, request, ...rest);
};
Module.register('data:text/javascript,' + encodeURIComponent(`
  const FORBIDDEN = ${FORBIDDEN};
  export async function resolve(specifier, context, next) {
    if (FORBIDDEN.test(specifier)) throw new Error('development tool loaded in production: ' + specifier);
    return next(specifier, context);
  }`));
