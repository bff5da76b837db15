// Shim: stage 08's events at the path the stage's own files import them from. Not to be
// copied (the stage has the real file; see PORTING.md).
export * from '../../../../examples/08-message-broker/src/shared/events.ts';
