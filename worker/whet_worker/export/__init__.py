"""Export parts: merge an adapter into its base, and write Hugging Face weights as one GGUF file.

The `export` recipe (recipes/export.py) puts them together.
"""
