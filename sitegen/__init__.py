"""sitegen: a static site generator for web fiction (the pipeline is build.py; README's Architecture maps the rest)."""
