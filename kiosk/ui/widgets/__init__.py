"""Widgets of the kiosk UI."""
