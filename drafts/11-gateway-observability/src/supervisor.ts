// Shim: stage 08's supervisor at the path the stage's own files import it from. Not to be
// copied (the stage has the real file; see PORTING.md).
export * from '../../../examples/08-message-broker/src/supervisor.ts';
