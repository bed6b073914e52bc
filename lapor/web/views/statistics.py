"""Public statistics: numbers, charts and the map, with no personal data or confidential content."""
