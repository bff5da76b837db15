// Checks this chapter's exercise: describe here, in one sentence, what the reader must achieve.
//
// Run it with `npm run check:exercise`.

console.error('✘ This exercise has no check yet: write exercise/check.ts.');
process.exit(1);
