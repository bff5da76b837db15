import { describe, expect, it } from 'vitest';
import { applyEdits, diffEdits, loadEdits, loadUndo, saveEdits, saveUndo } from './store.ts';

class MemoryStorage {
  map = new Map<string, string>();
  getItem = (key: string) => this.map.get(key) ?? null;
  setItem = (key: string, value: string) => void this.map.set(key, value);
  removeItem = (key: string) => void this.map.delete(key);
}

describe('saved edits', () => {
  it('round-trip per stage, and an empty set removes the entry', () => {
    const store = new MemoryStorage();
    saveEdits('01-a', { 'src/x.ts': 'edited' }, store);
    saveEdits('02-b', { 'src/y.ts': 'other' }, store);
    expect(loadEdits('01-a', store)).toEqual({ 'src/x.ts': 'edited' });
    expect(loadEdits('02-b', store)).toEqual({ 'src/y.ts': 'other' });
    saveEdits('01-a', {}, store);
    expect(store.map.has('workbench:edits:01-a')).toBe(false);
    expect(loadEdits('01-a', store)).toEqual({});
  });

  it('keep an undo snapshot apart from the edits', () => {
    const store = new MemoryStorage();
    saveUndo('01-a', { a: '1' }, store);
    saveEdits('01-a', { a: '2' }, store);
    expect(loadUndo('01-a', store)).toEqual({ a: '1' });
  });

  it('survive damaged or foreign data', () => {
    const store = new MemoryStorage();
    store.setItem('workbench:edits:01-a', '{broken');
    expect(loadEdits('01-a', store)).toEqual({});
    store.setItem('workbench:edits:01-a', JSON.stringify({ v: 1, files: { a: 'ok', b: 3 } }));
    expect(loadEdits('01-a', store)).toEqual({ a: 'ok' });
    expect(loadEdits('01-a', undefined)).toEqual({});
  });

  it('say so when the browser refuses to store', () => {
    const full = { ...new MemoryStorage(), getItem: () => null, removeItem: () => undefined, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveEdits('01-a', { a: 'x' }, full)).toThrow(/Quota/);
    expect(() => saveEdits('01-a', { a: 'x' }, undefined)).toThrow(/store data/);
  });
});

describe('diffEdits and applyEdits', () => {
  const originals = { a: '1', b: '2' };
  it('keep only what differs from the original', () => {
    expect(diffEdits(originals, { a: '1', b: 'changed' })).toEqual({ b: 'changed' });
  });
  it('put edits on top of the originals and drop files the stage no longer has', () => {
    expect(applyEdits(originals, { b: 'changed', gone: 'x' })).toEqual({ a: '1', b: 'changed' });
  });
});
