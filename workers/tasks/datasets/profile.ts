import type { Task } from 'graphile-worker';
import { appDb } from '../../../db';
import { jobCatalog } from '../../../server/jobs/catalog';
import { datasetStorage } from '../../../server/services/datasets/dataset-storage';
import { profileDatasetVersion } from '../../../server/services/datasets/profile-dataset-version';

export const profileDataset: Task = async (payload) => {
  await profileDatasetVersion(appDb(), datasetStorage(), jobCatalog['dataset.profile'].parse(payload));
};
