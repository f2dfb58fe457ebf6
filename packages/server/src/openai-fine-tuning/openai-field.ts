/** The OpenAI field a native field came from (hyperparameters.epochs -> method.supervised.hyperparameters.n_epochs). */
export function openAiField(nativeField: string, hpPath: string, type: string): string {
  const [head, name] = nativeField.split('.', 2) as [string, string | undefined];
  if (head === 'dataset' || head === 'datasets') return 'training_file';
  if (head === 'validation_dataset') return 'validation_file';
  if (head === 'hyperparameters' && name) {
    if (name === 'epochs') return `${hpPath}.n_epochs`;
    if (name === 'batch_size') return `${hpPath}.batch_size`;
    if (name === 'beta') return `method.${type}.hyperparameters.beta`;
    if (name === 'seed') return 'seed';
    return `whetstone.${nativeField.slice('hyperparameters.'.length)}`;
  }
  if (['tuning', 'budget', 'validation_split', 'drop_truncated'].includes(head)) return `whetstone.${nativeField}`;
  return nativeField;
}
