"""Small widgets of the role-play screens."""
