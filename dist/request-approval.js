import { runAction } from './index.js';
await runAction('request-approval');
