"""Who may call the API and how often: API keys (stored hashed) and a rate limit per key."""
