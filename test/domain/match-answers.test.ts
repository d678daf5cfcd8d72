import { describe, expect, it } from 'vitest';
import { matchAnswers } from '../../src/domain/match-answers.js';

const asked = [
  { id: 1, name: 'Harbor Auto Holdings' },
  { id: 2, name: 'Lone Star Motor Group' },
  { id: 3, name: 'Maple Leaf Automotive Group' },
];
const matched = (entries: { id?: unknown; name?: unknown; v: string }[]) =>
  Object.fromEntries([...matchAnswers(asked, entries)].map(([id, entry]) => [id, entry.v]));

describe('matching model answers to the companies asked about', () => {
  it('matches by id when the answer is numbered as asked', () => {
    expect(
      matched([
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
        { id: 3, v: 'c' },
      ]),
    ).toEqual({ 1: 'a', 2: 'b', 3: 'c' });
  });

  it('shifts a consistent 0-based numbering back, with or without names', () => {
    expect(
      matched([
        { id: 0, v: 'a' },
        { id: 1, v: 'b' },
        { id: 2, v: 'c' },
      ]),
    ).toEqual({ 1: 'a', 2: 'b', 3: 'c' });
    expect(
      matched([
        { id: 2, v: 'c' },
        { id: 0, name: 'Harbor Auto Holdings', v: 'a' },
        { id: 1, v: 'b' },
      ]),
    ).toEqual({ 1: 'a', 2: 'b', 3: 'c' });
  });

  it('reads string ids and lets the echoed name decide over a wrong id', () => {
    expect(
      matched([
        { id: '3', v: 'c' },
        { id: 'Company 1', v: 'a' },
      ]),
    ).toEqual({ 1: 'a', 3: 'c' });
    expect(
      matched([
        { id: 1, name: 'Maple Leaf Automotive Group, Inc.', v: 'c' },
        { id: 3, name: 'Harbor Auto Holdings', v: 'a' },
      ]),
    ).toEqual({ 1: 'a', 3: 'c' });
  });

  it('keeps the first of repeated entries', () => {
    expect(
      matched([
        { id: 2, v: 'first' },
        { id: 2, v: 'second' },
      ]),
    ).toEqual({ 2: 'first' });
  });

  it('gives nobody an entry with an id out of range or a name nobody was asked about', () => {
    expect(
      matched([
        { id: 7, v: 'x' },
        { id: 2, name: 'Phantom Motors Group', v: 'invented' },
        { id: 'high', v: 'y' },
      ]),
    ).toEqual({});
  });

  it('leaves a company without an entry unmatched rather than giving it a neighbour’s', () => {
    expect(
      matched([
        { id: 1, name: 'Harbor Auto Holdings', v: 'a' },
        { id: 3, name: 'Maple Leaf Automotive Group', v: 'c' },
      ]),
    ).toEqual({ 1: 'a', 3: 'c' });
  });
});
