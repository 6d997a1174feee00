"""The LLM drafter: prompts, the strict answer schema, the Messages API client, and checks."""
