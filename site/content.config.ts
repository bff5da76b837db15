import { existsSync } from 'node:fs';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { elsewhereSchema, patternsSchema } from './lib/chapter-extras.ts';
import { stageDir } from './lib/stages.ts';
import { methods } from './workbench/requests.ts';

// A ready-made request the workbench's request console offers as a button. `path`, `body` and
// header values may use {lastOrderId}, filled from the last response that carried an order.
const readyRequest = z.object({
  label: z.string().min(2).max(60),
  method: z.enum(methods),
  path: z.string().startsWith('/'),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

const chapters = defineCollection({
  loader: glob({ pattern: '[0-9][0-9]-*.mdx', base: './chapters' }),
  schema: z.object({
    title: z.string().min(3),
    summary: z.string().min(10).max(300),
    stage: z
      .string()
      .regex(/^\d\d-[a-z0-9-]+$/, 'stage is a folder name under examples/, like "01-single-file"')
      .refine((stage) => existsSync(stageDir(stage)), {
        error: (issue) => `stage folder examples/${String(issue.input)}/ does not exist`,
      }),
    goals: z.array(z.string().min(3)).min(1),
    minutes: z.number().int().positive().max(240),
    draft: z.boolean().default(false),
    requests: z.array(readyRequest).optional(),
    // The named patterns the chapter uses, by glossary id (site/lib/glossary.ts), listed at its
    // end; chapters 01-12 must have them (site/lib/glossary.test.ts).
    patterns: patternsSchema.optional(),
    // "The same idea elsewhere": chapters 02-12 (site/lib/chapter-extras.ts).
    elsewhere: elsewhereSchema.optional(),
  }),
});

export const collections = { chapters };
