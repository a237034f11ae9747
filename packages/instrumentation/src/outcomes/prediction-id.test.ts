import { describe, expect, it } from 'vitest';
import { newPredictionId } from './prediction-id.js';

describe('newPredictionId', () => {
  it('makes version 4 UUIDs, all distinct, across pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newPredictionId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });
});
