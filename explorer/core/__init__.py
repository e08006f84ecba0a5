"""The engine behind explorer: profiles, tokens, requests and collections. Never imports Textual or Rich."""
