import { runUmbrellaAction } from './index.js';
await runUmbrellaAction();
