/** Dense float64 linear algebra for the engine (row-major `Matrix`, see ../types). */
export { cholesky, choleskySolve, choleskyInverse, invertSpd } from './cholesky';
export { crossprod, crossprodRange, crossprodVec, matVec, symmetrizeUpper } from './crossprod';
export { weightedLeastSquares } from './wls';
export type { WlsResult } from './wls';
export { qrDecompose, qrQty, qrQy } from './qr';
export type { QrDecomposition } from './qr';
export { choleskyAliased, aliasedCholeskySolve, aliasedCholeskyInverse } from './cholesky-aliased';
export type { AliasedCholesky } from './cholesky-aliased';
