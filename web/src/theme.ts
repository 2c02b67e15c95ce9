import { createTheme } from '@mantine/core';

// Larger type than Mantine's defaults: the app is used by operators all day and by pensioners.
export const theme = createTheme({
  primaryColor: 'blue',
  // White on blue[6] is 3.6:1, under WCAG AA's 4.5:1 for text; shade 8 is 4.9:1 (axe checks it).
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  fontSizes: { xs: '0.875rem', sm: '1rem', md: '1.125rem', lg: '1.25rem', xl: '1.375rem' },
  lineHeights: { xs: '1.45', sm: '1.5', md: '1.55', lg: '1.55', xl: '1.6' },
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    TextInput: { defaultProps: { size: 'md' } },
    PasswordInput: { defaultProps: { size: 'md' } },
    Select: { defaultProps: { size: 'md' } },
    NumberInput: { defaultProps: { size: 'md' } },
    Textarea: { defaultProps: { size: 'md' } },
    Button: { defaultProps: { size: 'md' } },
    // Mantine's badges are small capitals: hard to read, so plain text at a normal size.
    Badge: { defaultProps: { size: 'lg', radius: 'sm', tt: 'none', fw: 500 } },
    Table: { defaultProps: { fz: 'sm', verticalSpacing: 'sm', highlightOnHover: true } },
  },
});
