import { runAction } from './index.js';
await runAction('resolve-runner');
