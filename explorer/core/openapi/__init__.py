"""OpenAPI 3.0/3.1 and Swagger 2.0: reading documents, the operations they describe, example bodies, scopes.

Nothing here imports a UI library; the catalogue pane, `explorer catalogue` and the importer all build on it.
"""
