"""Render the analysed site to HTML: markdown, bodies, views, pages, themes, charts and EPUB."""
