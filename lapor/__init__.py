"""lapor: national public-service complaint handling."""
