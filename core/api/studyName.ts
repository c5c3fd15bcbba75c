/**
 * The name a study gets when its spec names none (made unique by the service with a suffix);
 * the wizard shows it as the name field's placeholder, so the two never disagree.
 */
export function defaultStudyName(datasetName: string, strategy: string): string {
  return `${datasetName}-${strategy}`;
}

/** A CSV's dataset name, as the data layer derives it: the file name without its extension. */
export function csvDatasetName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}
