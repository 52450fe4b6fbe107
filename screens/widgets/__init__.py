"""Widgets and modal screens shared by the step screens."""
