import { createTheme } from '@mantine/core';

// Only settings that need no CSS variables of their own: colours and sizes come
// from Mantine's static stylesheet and app.css, since no <style> tag may be injected.
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});
