"""The MkDocs plugin: build-time findings, the reader notice and the docs-health page.

The plugin class is :class:`docsync.mkdocs_plugin.plugin.DocsyncPlugin`; its site report,
reader notice and health page live beside it.
"""
