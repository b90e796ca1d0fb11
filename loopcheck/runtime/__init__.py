"""The runtime watcher: records what a training loop really does and checks it with the
same rules as the static linter. Importing this package imports torch."""
