"""Screens of the kiosk UI."""
