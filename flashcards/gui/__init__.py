"""The desktop window: a thin PySide6 layer that shows what the core decides and forwards intent."""
