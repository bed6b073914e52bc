"""The portal's pages, one module per area; each view is a thin door onto services and selectors."""
