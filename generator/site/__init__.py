"""The website: safe text, pages, the hex map, the form, the build and the live preview."""
