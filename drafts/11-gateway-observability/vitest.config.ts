// The draft's workbench tests, on their own: npx vitest run --root drafts/11-gateway-observability
// (the project's vitest.config.ts picks them up once site/trace-waterfall.* are in site/workbench/).
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['site/**/*.test.ts'] } });
