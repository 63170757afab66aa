import { useState } from 'react';

/** The parts of a TanStack mutation a confirmation needs. */
interface ConfirmableMutation<V> {
  isPending: boolean;
  error: unknown;
  reset(): void;
  mutate(variables: V, options: { onSuccess: () => void }): void;
}

/**
 * The row a confirmation modal acts on, and the modal's props (spread them into `ConfirmModal`).
 * The row stays set while the modal closes, so its text does not vanish during the closing
 * transition; `ask` clears the previous attempt's error first; confirming runs the mutation on
 * `variables(row)` and closes the modal once it succeeds.
 */
export function useConfirmTarget<T, V>(mutation: ConfirmableMutation<V>, variables: (item: T) => V) {
  const [item, setItem] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);
  return {
    item,
    ask: (next: T) => {
      mutation.reset();
      setItem(next);
      setOpened(true);
    },
    modal: {
      opened,
      pending: mutation.isPending,
      error: mutation.error,
      onClose: close,
      onConfirm: () => {
        if (item) mutation.mutate(variables(item), { onSuccess: close });
      },
    },
  };
}
