import { Select, type SelectProps } from '@mantine/core';
import type { RoleName } from '../../contracts/index.ts';
import { roleDescriptions, roleLabels } from './roles.ts';

interface RoleSelectProps extends Omit<SelectProps, 'data' | 'value' | 'onChange'> {
  roles: RoleName[];
  value: RoleName;
  onChange: (role: RoleName) => void;
}

export function RoleSelect({ roles, value, onChange, ...props }: RoleSelectProps) {
  return (
    <Select
      {...props}
      data={roles.map((role) => ({ value: role, label: roleLabels[role] }))}
      value={value}
      allowDeselect={false}
      onChange={(next) => next && onChange(next as RoleName)}
      renderOption={({ option }) => (
        <div>
          <div>{option.label}</div>
          <div style={{ fontSize: 'var(--mantine-font-size-xs)', color: 'var(--mantine-color-dimmed)' }}>
            {roleDescriptions[option.value as RoleName]}
          </div>
        </div>
      )}
    />
  );
}
