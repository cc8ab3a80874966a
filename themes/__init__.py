"""The built-in themes. This folder ships inside sitegen as the package `sitegen.themes`
(see setup.py), so `sitegen.render.theme` finds it with importlib.resources wherever sitegen is installed."""
