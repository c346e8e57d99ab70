import { join } from 'path';

/**
 * The script that hosts a Lambda function in a child process. This file sits beside it both in the
 * repository (local/) and in the bundled command (assets/local/), so `__dirname` finds it in both.
 */
export const LAMBDA_HOST_SCRIPT = join(__dirname, 'lambda-host.mjs');
