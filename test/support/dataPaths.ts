// The data paths that the data-path and fault suites run on, each suite once per path.
import type { DataPathName } from '../../src/balancer';

export const DATA_PATHS_UNDER_TEST: readonly DataPathName[] = ['handles', 'sockets'];

/** Declares `suite` once for each data path, its title naming the path; the suite passes it on to what it starts. */
export function describeOnEachDataPath(title: string, suite: (this: Mocha.Suite, dataPath: DataPathName) => void): void {
  for (const dataPath of DATA_PATHS_UNDER_TEST) {
    describe(`${title} [${dataPath}]`, function () {
      suite.call(this, dataPath);
    });
  }
}
