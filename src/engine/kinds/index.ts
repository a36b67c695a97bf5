/**
 * The one registry of rule kinds. To add a kind: write kinds/<name>.ts with defineKind(), add it
 * here, and add its golden test; the schema, JSON schema, checks, scoring, formulas and explanations
 * all pick it up from this list.
 */
import best from './best';
import choice from './choice';
import deduct from './deduct';
import direct from './direct';
import proportional from './proportional';
import rank from './rank';
import tally from './tally';
import tiers from './tiers';
import type { KindDef } from './types';
import yesno from './yesno';

export const KINDS = [direct, yesno, choice, deduct, tally, proportional, tiers, rank, best] as const;

export type AnyRule = { [K in keyof typeof KINDS]: (typeof KINDS)[K] extends KindDef<infer R> ? R : never }[number];

const BY_NAME = new Map<string, KindDef<AnyRule>>(KINDS.map((k) => [k.kind, k as unknown as KindDef<AnyRule>]));

export function kindOf(rule: { kind: string }): KindDef<AnyRule> {
  const k = BY_NAME.get(rule.kind);
  if (!k) throw new Error(`unknown rule kind ${rule.kind} (the rubric check should have caught it)`);
  return k;
}

export const KIND_NAMES = KINDS.map((k) => k.kind);
export type { CriterionCtx, KindDef } from './types';

/** Every kind with the name a clerk reads (计分方式: 直接打分, 是否, 选项…), in the registry's order. */
export const KIND_TITLES: readonly { kind: string; zh: string; en: string }[] = KINDS.map((k) => ({ kind: k.kind, ...k.name }));
