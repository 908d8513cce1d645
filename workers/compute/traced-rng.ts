/**
 * An `Rng` that remembers how it was derived (seed and labels), so a worker thread can rebuild
 * the very same stream: `derive` depends only on the seed and the label (random/rng.ts), never
 * on how far a generator has advanced. Draws are delegated unchanged, so results with a traced
 * generator are bit-identical to those with `createRng(seed)`.
 */
import { createRng, type Rng } from '../causal/random/rng';

export interface RngRecipe {
  readonly seed: number | string;
  readonly labels: readonly (string | number)[];
}

const recipes = new WeakMap<Rng, RngRecipe>();

function traced(inner: Rng, recipe: RngRecipe): Rng {
  const rng: Rng = {
    next: () => inner.next(),
    nextInt: (n) => inner.nextInt(n),
    normal: () => inner.normal(),
    gamma: (shape) => inner.gamma(shape),
    chiSquare: (df) => inner.chiSquare(df),
    poisson: (mean) => inner.poisson(mean),
    derive: (label) => traced(inner.derive(label), { seed: recipe.seed, labels: [...recipe.labels, label] }),
  };
  recipes.set(rng, recipe);
  return rng;
}

/** `createRng(seed)` whose derived generators can be rebuilt elsewhere (`recipeOf`, `rebuildRng`). */
export function createTracedRng(seed: number | string): Rng {
  return traced(createRng(seed), { seed, labels: [] });
}

/** How `rng` was made, or undefined when it is not a traced generator. */
export function recipeOf(rng: Rng): RngRecipe | undefined {
  return recipes.get(rng);
}

/** A fresh generator at the start of the stream `recipe` describes. */
export function rebuildRng(recipe: RngRecipe): Rng {
  return recipe.labels.reduce<Rng>((rng, label) => rng.derive(label), createRng(recipe.seed));
}
