"""The analysis stages between loading and rendering: structure, notes, matter and pages."""
