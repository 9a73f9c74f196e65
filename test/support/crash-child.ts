/**
 * A process that installs the one error policy, then lets an error escape the way `mode` says
 * (argv[2]): `rejection` (a promise nobody awaits) or `exception` (a throw in a timer).
 */
import { installProcessHandlers } from '../../src/lib/handle-error.ts';
import { createLogger } from '../../src/lib/logger.ts';

installProcessHandlers(createLogger('info'), { stopping: () => false });
function failDeepInside(): never {
  throw new Error(`escaped ${process.argv[2]}`);
}
if (process.argv[2] === 'rejection') void Promise.resolve().then(failDeepInside);
else setTimeout(failDeepInside, 0);
setTimeout(() => process.exit(0), 10_000);
