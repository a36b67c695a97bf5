/** Types of a loaded, checked rubric (a 考核方案 with its variants). Defined by schema.ts. */
import type { z } from 'zod';
import type { AnyRule } from './kinds';
import type { LooseProgram, NodeIn } from './schema';

export type Rule = AnyRule;
export type RubricNode = NodeIn<Rule>;
type LooseOut = z.output<typeof LooseProgram>;
export type Variant = Omit<LooseOut['variants'][number], 'sections'> & { sections: RubricNode[] };
export type Program = Omit<LooseOut, 'variants'> & { variants: Variant[] };
export type Unit = NonNullable<Program['units']>[number];
export type Policies = Program['policies'];
export type Veto = NonNullable<Program['vetoes']>[number];
