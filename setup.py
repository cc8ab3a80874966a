"""Packaging that pyproject.toml alone cannot say: the repository's top-level themes/ ships inside
sitegen as the package `sitegen.themes`, in the wheel and in an editable install alike."""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["sitegen", "sitegen.*"], exclude=["*__pycache__*"])
    + ["sitegen.themes"] + [f"sitegen.themes.{p}" for p in find_namespace_packages("themes", exclude=["*__pycache__*"])],
    package_dir={"sitegen.themes": "themes"},
)
