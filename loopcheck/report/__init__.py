"""Output formats for findings. Each format is one module with a `render` function."""
