import { type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 7, dark: 8 },
  respectReducedMotion: true,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Modal: {
      defaultProps: {
        overlayProps: { backgroundOpacity: 0.45, blur: 2 },
        closeButtonProps: { 'aria-label': 'Close dialog' },
      },
    },
  },
});

/** Text on light backgrounds darker than Mantine's shade 6, for WCAG AA contrast (4.5:1). */
const darkText: Record<string, string> = { yellow: '#6e4403', orange: '#9c3a0c', lime: '#3f6212' };

/**
 * Mantine's default dimmed grey, error red and light-variant text (badges, alerts, light buttons)
 * are below WCAG AA contrast; use darker ones.
 */
export const cssVariablesResolver: CSSVariablesResolver = (current) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': '#5c636b',
    '--mantine-color-placeholder': '#6c737b',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  };
  for (const color of Object.keys(current.colors)) {
    light[`--mantine-color-${color}-light-color`] = darkText[color] ?? `var(--mantine-color-${color}-9)`;
  }
  return { variables: {}, light, dark: {} };
};
