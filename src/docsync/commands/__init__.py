"""What the pipeline does for each subcommand: check, fix, baseline, pr, review, rules.

Each module runs scan → detect → draft → apply → deliver for one subcommand and
returns values; the surfaces (CLI, Action, MkDocs plugin) only render them.
"""
