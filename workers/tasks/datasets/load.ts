import type { Task } from 'graphile-worker';
import { appDb } from '../../../db';
import { jobCatalog } from '../../../server/jobs/catalog';
import { datasetStorage } from '../../../server/services/datasets/dataset-storage';
import { loadDatasetVersion } from '../../../server/services/datasets/load-dataset-version';

export const loadDataset: Task = async (payload) => {
  await loadDatasetVersion(appDb(), datasetStorage(), jobCatalog['dataset.load'].parse(payload));
};
