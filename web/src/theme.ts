import { createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "blue",
  // blue.6, Mantine's default, gives white text 3.5:1 and light-variant text about 3:1; blue.8
  // passes WCAG AA's 4.5:1 (axe-core checks it in the browser tests).
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: "md",
  fontFamily: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  headings: { fontWeight: "650" },
  components: {
    Tooltip: { defaultProps: { withArrow: true, openDelay: 150, multiline: true, maw: 320 } },
    // Mantine's close buttons are icons without a name; a screen reader would announce "button".
    Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } },
    Notification: {
      defaultProps: { closeButtonProps: { "aria-label": "Close notification" } },
      // Its description is gray.6 by default: 3.3:1 on white.
      styles: { description: { color: "var(--mantine-color-gray-7)" } },
    },
  },
});
