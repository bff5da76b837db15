import { existsSync } from 'node:fs';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { stageDir } from './lib/stages.ts';

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
  }),
});

export const collections = { chapters };
