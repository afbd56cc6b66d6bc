import { runAction } from './index.js';
await runAction('teardown');
