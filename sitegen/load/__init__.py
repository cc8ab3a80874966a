"""Load a site's files: the content, its config, casts, front matter and dates."""
