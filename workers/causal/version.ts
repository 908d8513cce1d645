/** Version of the causal engine, reported in every result (bump when numbers can change). */
export const ENGINE_VERSION = '0.1.0';
